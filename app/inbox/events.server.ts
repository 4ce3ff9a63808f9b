/**
 * Live inbox updates as server-sent events: the page's EventSource gets a `message` event
 * (`data: {"conversations":[ids]}`) whenever the shop's inbox changed, and revalidates its data.
 *
 * Why polling the database (once a second, two small index-backed queries per open page) rather
 * than listening to the code that writes: messages are written by other processes — the webhook
 * server that received them, the BullMQ workers that answer them, on other machines when the app
 * scales out — so an in-process emitter would miss most changes. The database is the one place
 * they all meet; a boutique has a handful of admin pages open. When that stops being cheap enough,
 * the writers can publish on Redis pub/sub (already deployed for BullMQ) and this stream subscribe
 * instead, with the same events to the page.
 *
 * The stream ends when the page goes away (`signal`, aborted by the server on disconnect) or after
 * `maxMs`, when the page reconnects with a fresh session token (they live one minute).
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import type { Logger } from "~/lib/logger.server";

export interface InboxEventStreamOptions {
  /** The shop's current state as signatures (inboxSnapshot). */
  snapshot(): Promise<Map<string, string>>;
  /** Conversation ids whose signatures changed. */
  diff(before: Map<string, string>, after: Map<string, string>): string[];
  signal: AbortSignal;
  logger: Logger;
  intervalMs?: number;
  /** A comment line now and then, so that proxies do not close an idle connection. */
  heartbeatMs?: number;
  maxMs?: number;
  /** How long the browser waits before reconnecting after the stream ends (`retry:`). */
  retryMs?: number;
}

export function inboxEventStream(options: InboxEventStreamOptions): Response {
  const { signal, logger } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const encoder = new TextEncoder();
  let stop: () => void = () => undefined;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let polling = false;
      let last: Map<string, string> | null = null;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const poll = async () => {
        if (polling || closed) return;
        polling = true;
        try {
          const next = await options.snapshot();
          if (last && !closed) {
            const changed = options.diff(last, next);
            if (changed.length > 0) send(`data: ${JSON.stringify({ conversations: changed })}\n\n`);
          }
          last = next;
        } catch (error) {
          logger.warn("inbox live update: polling failed", { error: error instanceof Error ? error.message : String(error) });
        } finally {
          polling = false;
        }
      };
      const timer = setInterval(() => void poll(), intervalMs);
      const heartbeat = setInterval(() => send(": ping\n\n"), options.heartbeatMs ?? 20_000);
      const deadline = setTimeout(() => stop(), options.maxMs ?? 5 * 60_000);
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        clearInterval(heartbeat);
        clearTimeout(deadline);
        signal.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          // already closed by a cancelled reader
        }
      };
      if (signal.aborted) return stop();
      signal.addEventListener("abort", stop);
      send(`retry: ${options.retryMs ?? 2000}\n: connected\n\n`);
      void poll();
    },
    cancel() {
      stop();
    },
  });

  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      // nginx and similar proxies buffer responses unless told not to.
      "X-Accel-Buffering": "no",
    },
  });
}
