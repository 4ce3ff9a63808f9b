/**
 * A local fake of La Poste's Suivi v2 API (`GET /suivi/v2/idships/{idship}?lang=…`, header
 * `X-Okapi-Key`), fed with the recorded answers in app/plugins/integrations/colissimo/fixtures/.
 * It answers the way the Okapi gateway and Suivi do:
 *
 * - no or wrong `X-Okapi-Key` → 401 `{"code":"UNAUTHORIZED","message":"This action requires an authorization"}`
 *   (the gateway's answer observed live, see api-evangelist/la-poste-groupe conventions);
 * - a number given an answer (`answers` / `answer()`, e.g. `recordedAnswers()`) → that status and body;
 * - any other number of 11 to 15 letters and digits (Swagger: "composed from 11 to 15 alphanumeric
 *   characters") → 404 with the recorded "not yet available" body (returnCode 104) for that number;
 * - anything else → 400 with the recorded "invalid number" body (returnCode 400);
 * - several comma-separated numbers → 207 with an array of the unit answers (README of the fixtures).
 *
 * Every request is recorded; a request outside that one route is also listed in `unexpected`, so
 * that a test can fail on it.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";

const FIXTURES = new URL("../../app/plugins/integrations/colissimo/fixtures/", import.meta.url);

export type LaPosteRecording =
  | "laposte_suivi_v2_idships_200_delivered"
  | "laposte_suivi_v2_idships_200_in_transit"
  | "laposte_suivi_v2_idships_400_invalid"
  | "laposte_suivi_v2_idships_404_not_yet_available";

/** A recorded body, parsed. */
export function laposteRecording(name: LaPosteRecording): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), "utf8")) as Record<string, unknown>;
}

/** The numbers the recordings are about. */
export const RECORDED_NUMBERS = {
  delivered: "EW112720413FR",
  inTransit: "6A12345678901",
  notYetAvailable: "6S00993561113",
  invalid: "WBZQ03ENZJ6BBBTEELZWITJTAGYKA19WR6OOJ6MIVZARY3OVPSX4A495YOMXBLKC",
} as const;

/** Each recording with the number it is about and the HTTP status La Poste sends it with. */
export function recordedAnswers(): Record<string, FakeAnswer> {
  return {
    [RECORDED_NUMBERS.delivered]: { status: 200, body: laposteRecording("laposte_suivi_v2_idships_200_delivered") },
    [RECORDED_NUMBERS.inTransit]: { status: 200, body: laposteRecording("laposte_suivi_v2_idships_200_in_transit") },
    [RECORDED_NUMBERS.notYetAvailable]: { status: 404, body: laposteRecording("laposte_suivi_v2_idships_404_not_yet_available") },
    [RECORDED_NUMBERS.invalid]: { status: 400, body: laposteRecording("laposte_suivi_v2_idships_400_invalid") },
  };
}

export interface FakeAnswer {
  status: number;
  /** JSON-serialised, or sent as is when a string (a proxy's HTML page). */
  body: unknown;
}

export interface LaPosteRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  response: { status: number; body: unknown };
}

export interface FakeLaPosteApi {
  /** Base URL to give the plugin as `trackingBaseUrl` (`http://127.0.0.1:<port>`). */
  url: string;
  requests: LaPosteRequest[];
  /** Requests outside `GET /suivi/v2/idships/{idship}`, as "METHOD url". */
  unexpected: string[];
  /** From now on, answer `idShip` with this. */
  answer(idShip: string, answer: FakeAnswer): void;
  /** The next request (whatever it is) gets this status; `body` defaults to the gateway's error shape. */
  failNext(status: number, body?: unknown): void;
  /** The next request gets no answer at all (client timeouts); `close()` drops it. */
  stallNext(): void;
  close(): Promise<void>;
}

type Planned = { kind: "fail"; status: number; body?: unknown } | { kind: "stall" };

const ROUTE = /^\/suivi\/v2\/idships\/([^/]+)$/;
const VALID_NUMBER = /^[A-Za-z0-9]{11,15}$/;
/** Gateway error codes for the statuses tests ask for. */
const GATEWAY_CODES: Record<number, string> = {
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

export async function startFakeLaPosteApi(options: { okapiKey: string; answers?: Record<string, FakeAnswer> }): Promise<FakeLaPosteApi> {
  const answers = new Map(Object.entries(options.answers ?? {}).map(([id, a]) => [id.toUpperCase(), a]));
  const requests: LaPosteRequest[] = [];
  const unexpected: string[] = [];
  const planned: Planned[] = [];
  const invalidTemplate = laposteRecording("laposte_suivi_v2_idships_400_invalid");
  const notYetTemplate = laposteRecording("laposte_suivi_v2_idships_404_not_yet_available");

  const unitAnswer = (idShip: string): FakeAnswer => {
    const known = answers.get(idShip.toUpperCase());
    if (known) return known;
    if (!VALID_NUMBER.test(idShip)) return { status: 400, body: { ...invalidTemplate, idShip } };
    return { status: 404, body: { ...notYetTemplate, idShip } };
  };

  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake.laposte");
      const record: LaPosteRequest = {
        method: req.method ?? "",
        url: req.url ?? "/",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        response: { status: 0, body: undefined },
      };
      requests.push(record);
      const reply = (status: number, body: unknown) => {
        record.response = { status, body };
        const text = typeof body === "string" ? body : JSON.stringify(body);
        res.writeHead(status, { "Content-Type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json;charset=UTF-8" });
        res.end(text);
      };

      const next = planned.shift();
      if (next?.kind === "stall") return;
      if (next?.kind === "fail") {
        reply(next.status, next.body ?? { code: GATEWAY_CODES[next.status] ?? `HTTP_${next.status}`, message: http.STATUS_CODES[next.status] ?? "Error" });
        return;
      }

      const route = ROUTE.exec(url.pathname);
      if (req.method !== "GET" || !route?.[1]) {
        unexpected.push(`${req.method} ${req.url}`);
        reply(404, { code: "NOT_FOUND", message: `no route for ${req.method} ${url.pathname}` });
        return;
      }
      if (req.headers["x-okapi-key"] !== options.okapiKey) {
        reply(401, { code: "UNAUTHORIZED", message: "This action requires an authorization" });
        return;
      }
      const ids = decodeURIComponent(route[1]).split(",");
      if (ids.length === 1) {
        const unit = unitAnswer(ids[0] ?? "");
        reply(unit.status, unit.body);
        return;
      }
      reply(207, ids.map((id) => unitAnswer(id).body));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unexpected,
    answer: (idShip, answer) => {
      answers.set(idShip.toUpperCase(), answer);
    },
    failNext: (status, body) => {
      planned.push({ kind: "fail", status, body });
    },
    stallNext: () => {
      planned.push({ kind: "stall" });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
