/**
 * A lean HTTP/1.1 load generator for `npm run bench`: `concurrency` keep-alive connections, each
 * sending one prepared request at a time and timing it from the write to the end of the answer.
 * The requests are serialised before the clock starts, and answers are read with a minimal parser
 * (status line, Content-Length): the generator shares the machine's cores with the processes it
 * measures, and `fetch` spent more CPU per request than the server under test.
 * Answers must carry Content-Length (Node's `res.end(body)` sets it); anything else is an error.
 */
import net from "node:net";

export interface PreparedRequest {
  method: "POST" | "GET";
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  /** Completed requests per second over the whole run. */
  perSecond: number;
  /** Latency of each request in ms, in completion order. */
  latencies: number[];
  /** How many answers had another status than 200, by status. */
  statuses: Record<number, number>;
  /** runRate with `warmupMs`: the latencies of the requests due in the warm-up, not in `latencies`. */
  warmupLatencies?: number[];
  /** runRate: when each request was due (ms from the start) and its latency, for `slowestWindows`. */
  timeline?: Array<{ dueMs: number; latency: number }>;
}

/**
 * Where a run's tail comes from: the `count` windows of `windowMs` (by when their requests were
 * due) whose slowest request was slowest, in time order. A stall of the machine or of a process (a
 * full garbage collection, another service's burst) shows as a few neighbouring windows, a slow
 * path as windows spread over the run. `npm run bench` prints them with the latencies.
 */
export function slowestWindows(timeline: ReadonlyArray<{ dueMs: number; latency: number }>, windowMs = 100, count = 5): Array<{ fromMs: number; maxMs: number; requests: number }> {
  const windows = new Map<number, { fromMs: number; maxMs: number; requests: number }>();
  for (const { dueMs, latency } of timeline) {
    const fromMs = Math.floor(dueMs / windowMs) * windowMs;
    const window = windows.get(fromMs) ?? { fromMs, maxMs: 0, requests: 0 };
    window.maxMs = Math.max(window.maxMs, latency);
    window.requests++;
    windows.set(fromMs, window);
  }
  return [...windows.values()]
    .sort((a, b) => b.maxMs - a.maxMs)
    .slice(0, count)
    .sort((a, b) => a.fromMs - b.fromMs);
}

const HEADER_END = Buffer.from("\r\n\r\n");

export function serialise(host: string, request: PreparedRequest): Buffer {
  const body = Buffer.from(request.body, "utf8");
  const head = [`${request.method} ${request.path} HTTP/1.1`, `Host: ${host}`, "Connection: keep-alive", `Content-Length: ${body.length}`];
  for (const [name, value] of Object.entries(request.headers)) head.push(`${name}: ${value}`);
  return Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), body]);
}

/** Calls `onAnswer` with the status of each complete answer read off `socket`. */
function readAnswers(socket: net.Socket, onAnswer: (status: number) => void, onError: (error: Error) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      const end = pending.indexOf(HEADER_END);
      if (end < 0) return;
      const head = pending.subarray(0, end).toString("latin1");
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!length) return onError(new Error(`answer without Content-Length: ${head.split("\r\n")[0]}`));
      const total = end + HEADER_END.length + Number(length[1]);
      if (pending.length < total) return;
      pending = pending.subarray(total);
      onAnswer(Number(head.slice(9, 12)));
    }
  });
}

/** Sends every request of `requests` (already serialised) over `concurrency` connections to host:port. */
export async function runLoad(options: { host: string; port: number; requests: Buffer[]; concurrency: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, options.requests.length) }, () =>
      new Promise<void>((resolve, reject) => {
        const socket = net.connect(options.port, options.host);
        socket.setNoDelay(true);
        let sentAt = 0;
        const sendNext = () => {
          const request = options.requests[next++];
          if (!request) {
            socket.end();
            resolve();
            return;
          }
          sentAt = performance.now();
          socket.write(request);
        };
        socket.on("connect", sendNext);
        socket.on("error", reject);
        readAnswers(
          socket,
          (status) => {
            if (status !== 200) statuses[status] = (statuses[status] ?? 0) + 1;
            latencies.push(performance.now() - sentAt);
            sendNext();
          },
          (error) => {
            reject(error);
            socket.destroy();
          },
        );
      }),
    ),
  );
  return { perSecond: options.requests.length / ((performance.now() - started) / 1000), latencies, statuses };
}

/**
 * Open loop: request i is due at start + i / ratePerSecond, whatever the answers before it, and
 * its latency counts from when it was due (a request that waited for a free connection waited for
 * the server: leaving that out would hide queueing, "coordinated omission"). `connections` are
 * opened first and kept open. Requests due in the first `warmupMs` are sent like the others and
 * their latencies kept apart (`warmupLatencies`): the step from no load to the rate is not the
 * steady state the run measures.
 */
export async function runRate(options: { host: string; port: number; requests: Buffer[]; ratePerSecond: number; connections: number; warmupMs?: number }): Promise<LoadResult> {
  // Every answer, in completion order; `latencies` and `warmupLatencies` are read off it at the end.
  const timeline: Array<{ dueMs: number; latency: number }> = [];
  const warmupMs = options.warmupMs ?? 0;
  const statuses: Record<number, number> = {};
  const interval = 1000 / options.ratePerSecond;
  let started = 0;
  let next = 0;
  let done = 0;
  const idle: Array<(request: { bytes: Buffer; dueAt: number }) => void> = [];
  const backlog: Array<{ bytes: Buffer; dueAt: number }> = [];
  let finish: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const sockets: net.Socket[] = [];

  const connected: Array<Promise<void>> = [];
  for (let c = 0; c < options.connections; c++) {
    const socket = net.connect(options.port, options.host);
    sockets.push(socket);
    connected.push(new Promise((resolve) => socket.once("connect", () => resolve())));
    socket.setNoDelay(true);
    let current: { bytes: Buffer; dueAt: number } | null = null;
    const take = (request: { bytes: Buffer; dueAt: number }) => {
      current = request;
      socket.write(request.bytes);
    };
    const ready = () => {
      const queued = backlog.shift();
      if (queued) take(queued);
      else idle.push(take);
    };
    socket.on("connect", ready);
    socket.on("error", (error) => fail(error));
    readAnswers(
      socket,
      (status) => {
        if (status !== 200) statuses[status] = (statuses[status] ?? 0) + 1;
        if (current) timeline.push({ dueMs: current.dueAt - started, latency: performance.now() - current.dueAt });
        current = null;
        if (++done === options.requests.length) return finish();
        ready();
      },
      fail,
    );
  }

  const tick = () => {
    const now = performance.now();
    while (next < options.requests.length && started + next * interval <= now) {
      const request = { bytes: options.requests[next] as Buffer, dueAt: started + next * interval };
      next++;
      const free = idle.shift();
      if (free) free(request);
      else backlog.push(request);
    }
    if (next < options.requests.length) setTimeout(tick, Math.max(0, started + next * interval - performance.now()));
  };
  // The connections are open before the clock starts: opening them is not the server's answer time.
  await Promise.all(connected);
  started = performance.now();
  tick();
  try {
    await finished;
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  const perSecond = options.requests.length / ((performance.now() - started) / 1000);
  const latencies = timeline.filter((t) => t.dueMs >= warmupMs).map((t) => t.latency);
  const warmupLatencies = timeline.filter((t) => t.dueMs < warmupMs).map((t) => t.latency);
  return { perSecond, latencies, statuses, warmupLatencies, timeline };
}
