/**
 * A local fake of the Colissimo label web service (SLS REST):
 * `POST /sls-ws/SlsServiceWSRest/2.0/generateLabel`, JSON in, `multipart/mixed` out, the way SLS
 * answers (La Poste's SLS OpenAPI: "un objet json et 0 à 3 tableaux d'octets", keys `jsonInfos` and
 * `label`; the capture in karrio's tests for the exact part headers): a JSON part
 * `Content-ID: <jsonInfos>` then the label bytes `Content-ID: <label>`, CRLF line breaks,
 * boundary `uuid:…`. The label is a small valid PDF built here (`minimalPdf`).
 *
 * Authentication as SLS has it: the `apiKey` header when the fake is given one (a wrong key → 403,
 * "Token KO ou accès non autorisé"), else `contractNumber` + `password` in the body (wrong → 400
 * with message 30000 "Identifiant ou mot de passe incorrect", as captured). Malformed JSON → 422.
 * The fake checks the few fields a return label needs; its validation errors use the code
 * `fake-validation` (SLS has one numbered code per rule, not reproduced here).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export const GENERATE_LABEL_PATH = "/sls-ws/SlsServiceWSRest/2.0/generateLabel";

export interface LabelRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or null when it was not JSON. */
  json: Record<string, unknown> | null;
  response: { status: number; parcelNumber: string | null; messages: SlsMessage[] };
}

export interface SlsMessage {
  id: string;
  type: "INFOS" | "ERROR";
  messageContent: string;
}

export interface FakeColissimoLabels {
  /** Base URL to give the plugin as `labels.baseUrl`. */
  url: string;
  requests: LabelRequest[];
  /** Requests outside `POST …/generateLabel`. */
  unexpected: string[];
  /** The PDF of every label handed out, by parcel number. */
  labels: Map<string, Buffer>;
  /** The next request gets this HTTP status (5xx: an HTML error page, as a front proxy sends). */
  failNext(status: number): void;
  stallNext(): void;
  close(): Promise<void>;
}

type Planned = { kind: "fail"; status: number } | { kind: "stall" };

export async function startFakeColissimoLabels(options: { apiKey: string } | { contractNumber: string; password: string }): Promise<FakeColissimoLabels> {
  const requests: LabelRequest[] = [];
  const unexpected: string[] = [];
  const labels = new Map<string, Buffer>();
  const planned: Planned[] = [];
  let sequence = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let json: Record<string, unknown> | null = null;
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
      } catch {
        json = null;
      }
      const record: LabelRequest = {
        method: req.method ?? "",
        url: req.url ?? "/",
        headers: req.headers,
        json,
        response: { status: 0, parcelNumber: null, messages: [] },
      };
      requests.push(record);

      const answer = (status: number, messages: SlsMessage[], label?: { parcelNumber: string; pdf: Buffer }) => {
        record.response = { status, parcelNumber: label?.parcelNumber ?? null, messages };
        const boundary = `uuid:${randomUUID()}`;
        const jsonInfos = {
          messages: messages.map((m) => ({ ...m, replacementValues: [] })),
          labelXmlV2Reponse: null,
          labelV2Response: label ? { parcelNumber: label.parcelNumber, parcelNumberPartner: null, pdfUrl: null, fields: null } : null,
        };
        const parts: Buffer[] = [
          Buffer.from(
            `--${boundary}\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <jsonInfos>\r\n\r\n${JSON.stringify(jsonInfos)}\r\n`,
            "utf8",
          ),
        ];
        if (label) {
          parts.push(
            Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <label>\r\n\r\n`, "latin1"),
            label.pdf,
            Buffer.from("\r\n", "latin1"),
          );
        }
        parts.push(Buffer.from(`--${boundary}--\r\n`, "latin1"));
        res.writeHead(status, {
          "Content-Type": `multipart/mixed; boundary="${boundary}"; type="application/json"; start="<jsonInfos>"`,
        });
        res.end(Buffer.concat(parts));
      };
      const error = (status: number, id: string, messageContent: string) => answer(status, [{ id, type: "ERROR", messageContent }]);

      const next = planned.shift();
      if (next?.kind === "stall") return;
      if (next?.kind === "fail") {
        record.response = { status: next.status, parcelNumber: null, messages: [] };
        res.writeHead(next.status, { "Content-Type": "text/html; charset=utf-8" });
        res.end(`<html><body><h1>${next.status} ${http.STATUS_CODES[next.status] ?? ""}</h1></body></html>`);
        return;
      }

      if (req.method !== "POST" || (req.url ?? "").split("?")[0] !== GENERATE_LABEL_PATH) {
        unexpected.push(`${req.method} ${req.url}`);
        record.response = { status: 404, parcelNumber: null, messages: [] };
        res.writeHead(404, { "Content-Type": "text/plain" });
        res.end("Not Found");
        return;
      }
      if (json === null) {
        error(422, "fake-validation", "Le JSON en entrée du service est mal formatté");
        return;
      }
      if ("apiKey" in options) {
        if (req.headers.apikey !== options.apiKey) {
          error(403, "30000", "Token KO ou accès non autorisé");
          return;
        }
      } else if (json.contractNumber !== options.contractNumber || json.password !== options.password) {
        error(400, "30000", "Identifiant ou mot de passe incorrect");
        return;
      }
      const problem = validate(json);
      if (problem) {
        error(400, "fake-validation", problem);
        return;
      }
      const productCode = String(path(json, ["letter", "service", "productCode"]));
      sequence += 1;
      // Return parcels are numbered after their product: 8R for CORE, 7R for CORI (SLS Address doc).
      const parcelNumber = `${productCode === "CORI" ? "7R" : "8R"}${String(40000000000 + sequence).padStart(11, "0")}`;
      const orderRef = String(path(json, ["letter", "sender", "senderParcelRef"]) ?? "");
      const pdf = minimalPdf([`Colissimo Retour ${parcelNumber}`, `Ref ${orderRef}`]);
      labels.set(parcelNumber, pdf);
      answer(200, [{ id: "0", type: "INFOS", messageContent: "La requête a été traitée avec succès" }], { parcelNumber, pdf });
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
    labels,
    failNext: (status) => {
      planned.push({ kind: "fail", status });
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

function path(value: unknown, keys: string[]): unknown {
  let at = value;
  for (const key of keys) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const nonEmpty = (value: unknown) => typeof value === "string" && value.trim() !== "";

/** The checks SLS makes that a return label can trip (SLS schema: GenerateLabelRequest, Service, Address). */
function validate(json: Record<string, unknown>): string | null {
  const printing = path(json, ["outputFormat", "outputPrintingType"]);
  if (typeof printing !== "string" || !printing.startsWith("PDF_")) return "outputFormat.outputPrintingType must be a PDF format";
  const productCode = path(json, ["letter", "service", "productCode"]);
  if (productCode !== "CORE" && productCode !== "CORI") return `productCode ${String(productCode)} is not a return product`;
  const depositDate = path(json, ["letter", "service", "depositDate"]);
  if (typeof depositDate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(depositDate)) return "depositDate must be YYYY-MM-DD";
  const weight = path(json, ["letter", "parcel", "weight"]);
  if (typeof weight !== "number" || weight <= 0 || weight > 30) return "parcel.weight must be between 0 and 30 kg";
  for (const side of ["sender", "addressee"] as const) {
    const address = path(json, ["letter", side, "address"]);
    for (const field of ["line2", "zipCode", "city", "countryCode"]) {
      const value = path(address, [field]);
      if (!nonEmpty(value)) return `${side}.address.${field} is required`;
      if (typeof value === "string" && value.length > 35) return `${side}.address.${field} is longer than 35 characters`;
    }
  }
  // "Pour un affranchissement retour (code produit CORE 8R, CORI 7R ou 5R), la raison sociale est
  // obligatoire pour le destinataire."
  if (!nonEmpty(path(json, ["letter", "addressee", "address", "companyName"]))) return "addressee.address.companyName is required for a return";
  if (!nonEmpty(path(json, ["letter", "sender", "address", "lastName"])) && !nonEmpty(path(json, ["letter", "sender", "address", "companyName"]))) {
    return "sender.address.lastName is required";
  }
  if (productCode === "CORE" && path(json, ["letter", "sender", "address", "countryCode"]) !== "FR") return "CORE is for returns from France";
  return null;
}

/**
 * A one-page PDF written by hand: header with a binary comment (so that a reader that decodes the
 * label as text breaks), catalog, pages, page, content stream, Helvetica, a cross-reference table
 * with the true byte offsets, trailer, `%%EOF`. `lines` are printed in ASCII.
 */
export function minimalPdf(lines: string[]): Buffer {
  const escape = (text: string) => text.replace(/[^\x20-\x7e]/g, "?").replace(/([\\()])/g, "\\$1");
  const content = ["BT", "/F1 18 Tf", "72 770 Td", "22 TL", ...lines.map((line) => `(${escape(line)}) '`), "ET"].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  const chunks: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  let offset = chunks[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(offset);
    const chunk = Buffer.from(`${index + 1} 0 obj\n${body}\nendobj\n`, "latin1");
    chunks.push(chunk);
    offset += chunk.length;
  });
  // Each cross-reference entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, n/f, CR LF.
  const xref = [`xref\n0 ${objects.length + 1}\n`, "0000000000 65535 f\r\n", ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n\r\n`)].join("");
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF`, "latin1"));
  return Buffer.concat(chunks);
}
