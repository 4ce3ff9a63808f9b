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
}

const HEADER_END = Buffer.from("\r\n\r\n");

export function serialise(host: string, request: PreparedRequest): Buffer {
  const body = Buffer.from(request.body, "utf8");
  const head = [`${request.method} ${request.path} HTTP/1.1`, `Host: ${host}`, "Connection: keep-alive", `Content-Length: ${body.length}`];
  for (const [name, value] of Object.entries(request.headers)) head.push(`${name}: ${value}`);
  return Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), body]);
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
        let pending: Buffer = Buffer.alloc(0);
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
        socket.on("data", (chunk: Buffer) => {
          pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
          for (;;) {
            const end = pending.indexOf(HEADER_END);
            if (end < 0) return;
            const head = pending.subarray(0, end).toString("latin1");
            const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
            if (!length) {
              reject(new Error(`answer without Content-Length: ${head.split("\r\n")[0]}`));
              socket.destroy();
              return;
            }
            const total = end + HEADER_END.length + Number(length[1]);
            if (pending.length < total) return;
            const status = Number(head.slice(9, 12));
            if (status !== 200) statuses[status] = (statuses[status] ?? 0) + 1;
            latencies.push(performance.now() - sentAt);
            pending = pending.subarray(total);
            sendNext();
          }
        });
      }),
    ),
  );
  return { perSecond: options.requests.length / ((performance.now() - started) / 1000), latencies, statuses };
}
