import { afterEach, describe, expect, it } from "vitest";
import { minimalPdf, startFakeColissimoLabels, type FakeColissimoLabels } from "../../../../tests/fakes/colissimo-labels.server";
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { InvalidPayloadError, ProviderError, type Tracking } from "~/plugins/types";
import { colissimoConfigSchema } from "./config";
import { boundaryOf, buildReturnLabelRequest, parisDate, parseMultipart, readGenerateLabelAnswer } from "./labels.server";
import { createColissimoTracking } from "./tracking.server";

const API_KEY = "sls-api-key-000000";
// 23:30 UTC on Monday is already Tuesday in Paris: the deposit date is the French day.
const clock = createManualClock(new Date("2026-01-12T23:30:00Z"));
const RETURN_ADDRESS = { companyName: "Élégance Paris", line2: "12 rue de Sévigné", zipCode: "75004", city: "Paris", email: "sarah@elegance-paris.example" };
const EMMA = { name: "Emma Rousseau", address: "8 avenue Jean Jaurès", postalCode: "69007", city: "Lyon", country: "FR" };

function trackingWith(labels: Record<string, unknown>, timeoutMs?: number): Tracking {
  const config = colissimoConfigSchema.parse({ okapiKey: "unused-here", labels: { returnAddress: RETURN_ADDRESS, ...labels } });
  return createColissimoTracking({ config, logger: silentLogger, clock, timeoutMs });
}

function returnLabelOf(tracking: Tracking) {
  const { returnLabel } = tracking;
  if (!returnLabel) throw new Error("returnLabel is not offered");
  return returnLabel;
}

async function rejection<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const outcome = await promise.then(
    (value) => new Error(`resolved with ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(type);
  return outcome as T;
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("the fake's hand-made PDF", () => {
  it("starts with %PDF-, ends with %%EOF, and its cross-reference table points at its objects", () => {
    const pdf = minimalPdf(["Colissimo Retour 8R40000000001", "Ref #2847 (échange)"]);
    const body = pdf.toString("latin1");
    expect(body.startsWith("%PDF-1.4\n")).toBe(true);
    expect(body.endsWith("%%EOF")).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF$/.exec(body)?.[1]);
    expect(body.slice(startxref, startxref + 4)).toBe("xref");
    const entries = [...body.slice(startxref).matchAll(/^(\d{10}) 00000 n\r$/gm)].map((m) => Number(m[1]));
    expect(entries).toHaveLength(5);
    entries.forEach((offset, i) => expect(body.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    const stream = /<< \/Length (\d+) >>\nstream\n/.exec(body);
    const start = (stream?.index ?? 0) + (stream?.[0].length ?? 0);
    expect(body.slice(start + Number(stream?.[1]), start + Number(stream?.[1]) + "\nendstream".length)).toBe("\nendstream");
    expect(body).toContain("(Ref #2847 \\(?change\\)) '");
  });
});

describe("colissimo returnLabel against the fake label service", () => {
  let fake: FakeColissimoLabels;

  afterEach(async () => {
    expect(fake.unexpected).toEqual([]);
    await fake.close();
  });

  it("posts a CORE return from the customer to the shop and returns the parcel number and the PDF, byte for byte", async () => {
    fake = await startFakeColissimoLabels({ apiKey: API_KEY });
    const label = await returnLabelOf(trackingWith({ apiKey: API_KEY, baseUrl: fake.url }))({ orderName: "#2847", sender: EMMA });

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/sls-ws/SlsServiceWSRest/2.0/generateLabel");
    expect(request?.headers.apikey).toBe(API_KEY);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers.accept).toBe("multipart/mixed");
    expect(request?.json).toEqual({
      outputFormat: { x: 0, y: 0, outputPrintingType: "PDF_A4_300dpi" },
      letter: {
        service: { productCode: "CORE", depositDate: "2026-01-13", orderNumber: "#2847", commercialName: "Élégance Paris" },
        parcel: { weight: 1 },
        sender: {
          senderParcelRef: "#2847",
          address: { lastName: "Emma Rousseau", line2: "8 avenue Jean Jaurès", zipCode: "69007", city: "Lyon", countryCode: "FR" },
        },
        addressee: {
          addresseeParcelRef: "#2847",
          address: { ...RETURN_ADDRESS, countryCode: "FR" },
        },
      },
    });

    expect(label.trackingNumber).toMatch(/^8R\d{11}$/);
    expect(label.trackingNumber).toBe(request?.response.parcelNumber);
    expect(label.pdf).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(label.pdf).equals(fake.labels.get(label.trackingNumber) ?? Buffer.alloc(0))).toBe(true);
    expect(text(label.pdf).startsWith("%PDF-")).toBe(true);
    expect(text(label.pdf).endsWith("%%EOF")).toBe(true);
  });

  it("authenticates with contractNumber and password in the body when no API key is set", async () => {
    fake = await startFakeColissimoLabels({ contractNumber: "123456", password: "s3cret" });
    const label = await returnLabelOf(trackingWith({ contractNumber: "123456", password: "s3cret", baseUrl: fake.url }))({ orderName: "#2847", sender: EMMA });
    expect(label.trackingNumber).toMatch(/^8R/);
    expect(fake.requests[0]?.json).toMatchObject({ contractNumber: "123456", password: "s3cret" });
    expect(fake.requests[0]?.headers.apikey).toBeUndefined();
  });

  it("uses CORI (Retour International) for a customer outside France", async () => {
    fake = await startFakeColissimoLabels({ apiKey: API_KEY });
    const label = await returnLabelOf(trackingWith({ apiKey: API_KEY, baseUrl: fake.url }))({
      orderName: "#2901",
      sender: { name: "Léa Martin", address: "Rue Neuve 3", postalCode: "1000", city: "Bruxelles", country: "be" },
    });
    expect(label.trackingNumber).toMatch(/^7R\d{11}$/);
    expect(fake.requests[0]?.json).toMatchObject({ letter: { service: { productCode: "CORI" }, sender: { address: { countryCode: "BE", zipCode: "1000" } } } });
  });

  it("maps wrong credentials (SLS message 30000) to a non-retryable ProviderError", async () => {
    fake = await startFakeColissimoLabels({ contractNumber: "123456", password: "s3cret" });
    const error = await rejection(
      returnLabelOf(trackingWith({ contractNumber: "123456", password: "wrong", baseUrl: fake.url }))({ orderName: "#2847", sender: EMMA }),
      ProviderError,
    );
    expect(error.details).toEqual({ provider: "colissimo", status: 400, code: "30000", retryable: false });
    expect(error.message).toContain("Identifiant ou mot de passe incorrect");
  });

  it("maps a refused API key (403) to a non-retryable ProviderError", async () => {
    fake = await startFakeColissimoLabels({ apiKey: API_KEY });
    const error = await rejection(returnLabelOf(trackingWith({ apiKey: "wrong", baseUrl: fake.url }))({ orderName: "#2847", sender: EMMA }), ProviderError);
    expect(error.details).toMatchObject({ status: 403, retryable: false });
  });

  it.each([500, 502, 503])("maps HTTP %i (a proxy's HTML page) to a retryable ProviderError, after one request", async (status) => {
    fake = await startFakeColissimoLabels({ apiKey: API_KEY });
    fake.failNext(status);
    const error = await rejection(returnLabelOf(trackingWith({ apiKey: API_KEY, baseUrl: fake.url }))({ orderName: "#2847", sender: EMMA }), ProviderError);
    expect(error.details).toEqual({ provider: "colissimo", status, retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("maps a timeout to a retryable ProviderError", async () => {
    fake = await startFakeColissimoLabels({ apiKey: API_KEY });
    fake.stallNext();
    const error = await rejection(returnLabelOf(trackingWith({ apiKey: API_KEY, baseUrl: fake.url }, 200))({ orderName: "#2847", sender: EMMA }), ProviderError);
    expect(error.details).toEqual({ provider: "colissimo", code: "ETIMEDOUT", retryable: true });
  });

  it("refuses a sender SLS would refuse, without calling it", async () => {
    fake = await startFakeColissimoLabels({ apiKey: API_KEY });
    const returnLabel = returnLabelOf(trackingWith({ apiKey: API_KEY, baseUrl: fake.url }));
    await rejection(returnLabel({ orderName: "#1", sender: { ...EMMA, postalCode: "6907" } }), InvalidPayloadError);
    await rejection(returnLabel({ orderName: "#1", sender: { ...EMMA, name: "  " } }), InvalidPayloadError);
    await rejection(returnLabel({ orderName: "#1", sender: { ...EMMA, country: "Frankreich" } }), InvalidPayloadError);
    await rejection(returnLabel({ orderName: "#1", sender: { ...EMMA, address: "x".repeat(71) } }), InvalidPayloadError);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("return label request", () => {
  const labels = colissimoConfigSchema.parse({ okapiKey: "k", labels: { apiKey: "k", returnAddress: RETURN_ADDRESS, weightKg: 0.8 } }).labels;
  if (!labels) throw new Error("labels expected");

  it("splits a long street address over line2 and line3 at a space", () => {
    const request = buildReturnLabelRequest(
      labels,
      { orderName: "#2847", sender: { ...EMMA, address: "Résidence Les Tilleuls, bâtiment B, 8 avenue Jean Jaurès" } },
      "2026-01-13",
    );
    expect(request.letter.sender.address.line2).toBe("Résidence Les Tilleuls, bâtiment B,");
    expect(request.letter.sender.address.line3).toBe("8 avenue Jean Jaurès");
    expect(request.letter.parcel.weight).toBe(0.8);
    expect(request.contractNumber).toBeUndefined();
  });

  it("takes the deposit date in Paris, whatever the server's time zone", () => {
    expect(parisDate(new Date("2026-01-12T22:59:59Z"))).toBe("2026-01-12");
    expect(parisDate(new Date("2026-01-12T23:00:00Z"))).toBe("2026-01-13");
    expect(parisDate(new Date("2026-07-12T22:00:00Z"))).toBe("2026-07-13"); // summer time
  });
});

describe("SLS multipart answers", () => {
  // karrio's capture of a refused request (test_shipment.py, ErrorResponse): LF line breaks.
  const capturedError = [
    "--uuid:07a458a8-bd7d-45ab-8349-865ac38f9b6e",
    "Content-Type: application/json;charset=UTF-8",
    "Content-Transfer-Encoding: binary",
    "Content-ID: <jsonInfos>",
    "",
    '{"messages":[{"id":"30000","type":"ERROR","messageContent":"Identifiant ou mot de passe incorrect"}],"labelXmlV2Reponse":null,"labelV2Response":null}',
    "--uuid:07a458a8-bd7d-45ab-8349-865ac38f9b6e--",
    "",
  ].join("\n");

  it("reads the captured error answer, even when a proxy dropped the boundary parameter", () => {
    const body = Buffer.from(capturedError, "utf8");
    expect(boundaryOf("multipart/mixed", body)).toBe("uuid:07a458a8-bd7d-45ab-8349-865ac38f9b6e");
    let thrown: unknown;
    try {
      readGenerateLabelAnswer(200, "multipart/mixed", body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect((thrown as ProviderError).details).toEqual({ provider: "colissimo", status: 200, code: "30000", retryable: false });
  });

  it("keeps binary parts byte for byte, with CRLF or LF line breaks, and decodes base64 parts", () => {
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\r\n%\xe2\xe3\xcf\xd3\n\r\n--not-the-boundary\n", "latin1"), Buffer.from([0, 255, 13, 10]), Buffer.from("%%EOF")]);
    for (const eol of ["\r\n", "\n"]) {
      const body = Buffer.concat([
        Buffer.from(`--b1${eol}Content-ID: <jsonInfos>${eol}Content-Type: application/json${eol}${eol}{"a":1}${eol}--b1${eol}Content-ID: <label>${eol}${eol}`, "latin1"),
        pdf,
        Buffer.from(`${eol}--b1${eol}Content-ID: <cn23>${eol}Content-Transfer-Encoding: base64${eol}${eol}${Buffer.from("cn23!").toString("base64")}${eol}--b1--${eol}`, "latin1"),
      ]);
      const parts = parseMultipart(body, boundaryOf('multipart/mixed; boundary="b1"; start="<jsonInfos>"', body));
      expect(parts.map((p) => p.headers.get("content-id"))).toEqual(["<jsonInfos>", "<label>", "<cn23>"]);
      expect(parts[0]?.body.toString()).toBe('{"a":1}');
      expect(parts[1]?.body.equals(pdf)).toBe(true);
      expect(parts[2]?.body.toString()).toBe("cn23!");
    }
  });

  it("refuses a 200 without the label part, or with a label that is not a PDF", () => {
    const ok = '{"messages":[{"id":"0","type":"INFOS","messageContent":"ok"}],"labelV2Response":{"parcelNumber":"8R40000000001"}}';
    const answer = (label?: string) =>
      Buffer.from(`--b\r\nContent-ID: <jsonInfos>\r\n\r\n${ok}\r\n${label === undefined ? "" : `--b\r\nContent-ID: <label>\r\n\r\n${label}\r\n`}--b--\r\n`, "latin1");
    expect(() => readGenerateLabelAnswer(200, "multipart/mixed; boundary=b", answer())).toThrow(/without a PDF label/);
    expect(() => readGenerateLabelAnswer(200, "multipart/mixed; boundary=b", answer("^XA^FO50,50^XZ"))).toThrow(/without a PDF label/);
    expect(readGenerateLabelAnswer(200, "multipart/mixed; boundary=b", answer("%PDF-1.4 tiny %%EOF")).trackingNumber).toBe("8R40000000001");
  });

  it("refuses a cut-short answer", () => {
    expect(() => parseMultipart(Buffer.from("--b\r\nContent-ID: <label>\r\n\r\n%PDF-1.4"), "b")).toThrow(/cut short/);
  });
});
