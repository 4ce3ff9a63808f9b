/**
 * Return labels through the Colissimo label web service (SLS, "Simple Label Solution"):
 * `POST {labels.baseUrl}/sls-ws/SlsServiceWSRest/2.0/generateLabel` with a JSON body.
 *
 * SLS answers `multipart/mixed` (MTOM style): a JSON part `Content-ID: <jsonInfos>` with
 * `messages` and `labelV2Response.parcelNumber`, then the label bytes in `Content-ID: <label>`
 * (`application/octet-stream`), optionally `cn23` / `proforma`. Errors come the same way with only
 * the JSON part and `messages[].type = "ERROR"`. Shapes: La Poste's SLS OpenAPI ("SlsServiceWS :
 * documentation", generateLabel: "Ce service retourne une Map contenant un objet json et 0 à 3
 * tableaux d'octets … jsonInfos … label") and the capture in karrio's tests
 * (karrioapi/karrio modules/connectors/colissimo/tests/colissimo/test_shipment.py).
 */
import { z } from "zod";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { InvalidPayloadError, ProviderError, type ReturnLabel } from "~/plugins/types";
import type { ColissimoLabelsConfig } from "./config";
import { exchange, joinUrl, retryableStatus, type Fetch } from "./http.server";

const PROVIDER = "colissimo";
export const GENERATE_LABEL_PATH = "/sls-ws/SlsServiceWSRest/2.0/generateLabel";

export interface ReturnLabelInput {
  orderName: string;
  sender: { name: string; address: string; postalCode: string; city: string; country: string };
}

export interface ColissimoReturnLabelsDeps {
  labels: ColissimoLabelsConfig;
  http: Fetch;
  clock: Clock;
  logger: Logger;
  timeoutMs: number;
}

export function createColissimoReturnLabels(deps: ColissimoReturnLabelsDeps) {
  const { labels } = deps;
  return {
    async returnLabel(input: ReturnLabelInput): Promise<ReturnLabel> {
      const request = buildReturnLabelRequest(labels, input, parisDate(deps.clock.now()));
      const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "multipart/mixed" };
      if (labels.apiKey) headers.apiKey = labels.apiKey;
      const answer = await exchange(
        deps.http,
        joinUrl(labels.baseUrl, GENERATE_LABEL_PATH),
        { method: "POST", headers, body: JSON.stringify(request) },
        { provider: PROVIDER, timeoutMs: deps.timeoutMs, what: "Colissimo label service" },
      );
      const label = readGenerateLabelAnswer(answer.status, answer.headers.get("content-type"), answer.body);
      deps.logger.info("return label created", { orderName: input.orderName, trackingNumber: label.trackingNumber, bytes: label.pdf.length });
      return label;
    },
  };
}

// ───────────────────────────────── Request ───────────────────────────────────

/** The SLS `Address` block (lengths from the SLS schema: lines and city 35, names 35). */
interface SlsAddress {
  companyName?: string;
  lastName?: string;
  line2: string;
  line3?: string;
  zipCode: string;
  city: string;
  countryCode: string;
  email?: string;
  phoneNumber?: string;
}

export interface GenerateLabelRequest {
  contractNumber?: string;
  password?: string;
  outputFormat: { x: number; y: number; outputPrintingType: string };
  letter: {
    service: { productCode: "CORE" | "CORI"; depositDate: string; orderNumber: string; commercialName: string };
    parcel: { weight: number };
    sender: { senderParcelRef: string; address: SlsAddress };
    addressee: { addresseeParcelRef: string; address: SlsAddress };
  };
}

/**
 * The customer sends the parcel back (sender) to the shop (addressee). Product `CORE` is
 * "Colissimo Retour France"; from another country it is `CORI` (Retour International). A4 PDF:
 * the customer prints it at home.
 */
export function buildReturnLabelRequest(labels: ColissimoLabelsConfig, input: ReturnLabelInput, depositDate: string): GenerateLabelRequest {
  const name = input.sender.name.trim();
  if (name === "") throw new InvalidPayloadError("return label: the sender's name is empty");
  const countryCode = countryCodeOf(input.sender.country);
  const zipCode = input.sender.postalCode.replace(/\s+/g, "");
  if (countryCode === "FR" && !/^\d{5}$/.test(zipCode)) {
    throw new InvalidPayloadError(`return label: ${JSON.stringify(input.sender.postalCode)} is not a French postal code`);
  }
  if (zipCode === "") throw new InvalidPayloadError("return label: the sender's postal code is empty");
  const city = input.sender.city.trim();
  if (city === "" || city.length > 35) throw new InvalidPayloadError("return label: the sender's city must have 1 to 35 characters");
  const [line2, line3] = addressLines(input.sender.address);
  const orderName = input.orderName.trim();
  const shop = labels.returnAddress;

  return {
    ...(labels.apiKey ? {} : { contractNumber: labels.contractNumber, password: labels.password }),
    outputFormat: { x: 0, y: 0, outputPrintingType: "PDF_A4_300dpi" },
    letter: {
      service: { productCode: countryCode === "FR" ? "CORE" : "CORI", depositDate, orderNumber: orderName, commercialName: shop.companyName },
      parcel: { weight: labels.weightKg },
      sender: {
        senderParcelRef: orderName.slice(0, 17),
        address: { lastName: name.slice(0, 35), line2, ...(line3 ? { line3 } : {}), zipCode, city, countryCode },
      },
      addressee: {
        addresseeParcelRef: orderName.slice(0, 15),
        address: {
          companyName: shop.companyName,
          line2: shop.line2,
          ...(shop.line3 ? { line3: shop.line3 } : {}),
          zipCode: shop.zipCode,
          city: shop.city,
          countryCode: shop.countryCode,
          ...(shop.email ? { email: shop.email } : {}),
          ...(shop.phoneNumber ? { phoneNumber: shop.phoneNumber } : {}),
        },
      },
    },
  };
}

/** A street address on SLS's 35-character lines: `line2`, overflowing into `line3` at a space. */
function addressLines(address: string): [string, string | undefined] {
  const text = address.replace(/\s+/g, " ").trim();
  if (text === "") throw new InvalidPayloadError("return label: the sender's address is empty");
  if (text.length <= 35) return [text, undefined];
  const cut = text.lastIndexOf(" ", 35);
  const first = (cut > 0 ? text.slice(0, cut) : text.slice(0, 35)).trim();
  const rest = text.slice(first.length).trim();
  if (rest.length > 35) throw new InvalidPayloadError("return label: the sender's address does not fit on two 35-character lines");
  return [first, rest];
}

function countryCodeOf(country: string): string {
  const value = country.trim();
  if (/^[A-Za-z]{2}$/.test(value)) return value.toUpperCase();
  if (/^france$/i.test(value)) return "FR";
  throw new InvalidPayloadError(`return label: ${JSON.stringify(country)} is not a 2-letter country code`);
}

/** The deposit date SLS expects (YYYY-MM-DD) is a day in France, whatever the server's zone. */
export function parisDate(at: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

// ───────────────────────────────── Answer ────────────────────────────────────

const jsonInfosSchema = z
  .object({
    messages: z
      .array(z.object({ id: z.union([z.string(), z.number()]), type: z.string(), messageContent: z.string().optional() }).passthrough())
      .optional(),
    labelV2Response: z.object({ parcelNumber: z.string().nullish() }).passthrough().nullish(),
  })
  .passthrough();

export function readGenerateLabelAnswer(status: number, contentType: string | null, body: Buffer): ReturnLabel {
  let jsonPart: Buffer | undefined;
  let labelPart: Buffer | undefined;
  if (contentType && /^multipart\//i.test(contentType)) {
    const parts = parseMultipart(body, boundaryOf(contentType, body));
    jsonPart = (parts.find((p) => contentId(p) === "jsonInfos") ?? parts.find((p) => /json/i.test(p.headers.get("content-type") ?? "")))?.body;
    labelPart = parts.find((p) => contentId(p) === "label")?.body;
  } else if (contentType && /json/i.test(contentType)) {
    jsonPart = body;
  }

  let infos: z.infer<typeof jsonInfosSchema> | undefined;
  if (jsonPart) {
    try {
      const parsed = jsonInfosSchema.safeParse(JSON.parse(jsonPart.toString("utf8")));
      if (parsed.success) infos = parsed.data;
    } catch {
      infos = undefined;
    }
  }
  const errors = (infos?.messages ?? []).filter((m) => m.type.toUpperCase() === "ERROR");
  if (status < 200 || status >= 300 || errors.length > 0) {
    const first = errors[0];
    const detail = first ? `${first.id} ${first.messageContent ?? ""}`.trim() : body.toString("utf8").slice(0, 200);
    throw new ProviderError(`Colissimo refused the return label (HTTP ${status}): ${detail}`, {
      provider: PROVIDER,
      status,
      ...(first ? { code: first.id } : {}),
      // Functional errors (bad credentials 30000, an address SLS rejects) fail the same way again.
      retryable: retryableStatus(status),
    });
  }
  const trackingNumber = infos?.labelV2Response?.parcelNumber;
  if (!trackingNumber) {
    throw new ProviderError("Colissimo answered without a parcel number", { provider: PROVIDER, status, retryable: false });
  }
  if (!labelPart || !isPdf(labelPart)) {
    throw new ProviderError(`Colissimo answered without a PDF label for ${trackingNumber}`, { provider: PROVIDER, status, retryable: false });
  }
  return { trackingNumber, pdf: new Uint8Array(labelPart) };
}

function isPdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 5).toString("latin1") === "%PDF-";
}

// ─────────────────────────────── multipart/mixed ─────────────────────────────

export interface MultipartPart {
  /** Header names in lower case. */
  headers: Map<string, string>;
  body: Buffer;
}

/**
 * The `boundary` parameter of a multipart Content-Type (quoted or not), or, when a proxy dropped
 * it, the first delimiter line of the body.
 */
export function boundaryOf(contentType: string, body: Buffer): string {
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary) return boundary;
  const firstLine = body.subarray(0, Math.max(0, body.indexOf(0x0a))).toString("latin1").trim();
  if (firstLine.startsWith("--") && firstLine.length > 2) return firstLine.slice(2);
  throw new ProviderError("Colissimo answered multipart without a boundary", { provider: PROVIDER, retryable: false });
}

/**
 * Splits a multipart body (RFC 2046 §5.1) into its parts, byte-exact: the label is binary, so the
 * body is never decoded as text. Accepts CRLF (the standard) and bare LF line breaks.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`, "latin1");
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new ProviderError("Colissimo multipart answer without its boundary", { provider: PROVIDER, retryable: false });
  for (;;) {
    let start = at + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // "--": the close delimiter
    while (body[start] === 0x20 || body[start] === 0x09) start++; // transport padding
    if (body[start] === 0x0d) start++;
    if (body[start] === 0x0a) start++;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new ProviderError("Colissimo multipart answer is cut short", { provider: PROVIDER, retryable: false });
    // The line break before a delimiter belongs to the delimiter, not to the part.
    let end = next;
    if (body[end - 1] === 0x0a) end--;
    if (body[end - 1] === 0x0d) end--;
    parts.push(readPart(body.subarray(start, Math.max(start, end))));
    at = next;
  }
  return parts;
}

function readPart(raw: Buffer): MultipartPart {
  const crlf = raw.indexOf("\r\n\r\n");
  const lf = raw.indexOf("\n\n");
  let headerEnd: number;
  let bodyStart: number;
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) {
    headerEnd = crlf;
    bodyStart = crlf + 4;
  } else if (lf >= 0) {
    headerEnd = lf;
    bodyStart = lf + 2;
  } else {
    headerEnd = raw.length;
    bodyStart = raw.length;
  }
  const headers = new Map<string, string>();
  for (const line of raw.subarray(0, headerEnd).toString("latin1").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let content = raw.subarray(bodyStart);
  if (headers.get("content-transfer-encoding")?.toLowerCase() === "base64") {
    content = Buffer.from(content.toString("latin1"), "base64");
  }
  return { headers, body: content };
}

/** `Content-ID: <label>` → `label`. */
function contentId(part: MultipartPart): string | undefined {
  return part.headers.get("content-id")?.replace(/^<|>$/g, "");
}
