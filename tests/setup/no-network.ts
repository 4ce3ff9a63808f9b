/**
 * Every Vitest file runs with this guard: a request to anything but this machine's loopback
 * fails the test. HTTP(S) and fetch go through msw (the only handlers are the ones a test adds);
 * raw TCP sockets (database and Redis drivers) are checked at `net.Socket#connect`.
 */
import net from "node:net";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$/;
const unexpected: string[] = [];

export const mswServer = setupServer();

beforeAll(() => {
  mswServer.listen({
    onUnhandledRequest(request, print) {
      const url = new URL(request.url);
      if (LOOPBACK.test(url.hostname)) return; // local fakes and the app under test
      unexpected.push(`${request.method} ${request.url}`);
      print.error();
    },
  });
});

const originalConnect = net.Socket.prototype.connect;
// `connect` has many overloads; the guard only reads the host and hands everything on unchanged.
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  const host =
    typeof first === "object" && first !== null && "host" in first
      ? String((first as { host?: string }).host ?? "localhost")
      : typeof first === "object" && first !== null && "path" in first
        ? "localhost" // unix socket
        : typeof args[1] === "string"
          ? args[1]
          : "localhost";
  if (!LOOPBACK.test(host)) {
    unexpected.push(`TCP ${host}`);
    throw new Error(`Unexpected network connection to ${host} during tests`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

afterEach(() => {
  mswServer.resetHandlers();
  if (unexpected.length > 0) {
    const list = unexpected.splice(0).join(", ");
    throw new Error(`Unexpected network request(s) during this test: ${list}`);
  }
});

afterAll(() => {
  mswServer.close();
});
