/**
 * One HTTP exchange with La Poste / Colissimo through the injected `fetch`, with a deadline. A
 * request that gets no answer (refused, reset, timed out) becomes a retryable `ProviderError`;
 * any answer, whatever its status, is returned for the caller to read.
 */
import { ProviderError } from "~/plugins/types";

export type Fetch = typeof fetch;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
}

export async function exchange(
  http: Fetch,
  url: string,
  init: RequestInit,
  options: { provider: string; timeoutMs: number; what: string },
): Promise<HttpAnswer> {
  try {
    const response = await http(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
    // Reading the body is under the same deadline: a server can stall after the headers.
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    const code = networkCode(error);
    throw new ProviderError(`${options.what}: no answer (${code})`, { provider: options.provider, code, retryable: true });
  }
}

/** `TimeoutError` for our deadline, else the socket error code undici keeps in `cause` (ECONNREFUSED …). */
function networkCode(error: unknown): string {
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) return "ETIMEDOUT";
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string") return cause.code;
  return error instanceof Error ? error.name : "ERR_NETWORK";
}

/** `base` (an origin with an optional path prefix) joined with an absolute `path`. */
export function joinUrl(base: string, path: string): string {
  const url = new URL(base);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}${path}`;
}

/** Statuses worth another try later: the server's side, rate limiting, a request that came too late. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}
