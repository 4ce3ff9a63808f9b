/**
 * The `Channel` contract (app/plugins/types.ts), as one suite every channel plugin runs against its
 * own local fake provider: `runChannelContract("name", setup)` in `channel.contract.test.ts`, one
 * line per plugin. The suite knows nothing about any vendor; the setup adapts the plugin's fake.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ProviderError,
  type Channel,
  type ChannelKind,
  type DeliveryState,
  type DeliveryStatusUpdate,
  type InboundHttpRequest,
  type InboundMessage,
  type OutboundMessage,
} from "~/plugins/types";

/** One request the fake provider received, as the provider read it. */
export interface ContractProviderRequest {
  to: string;
  from: string;
  body: string;
  /** The id the fake answered with, or null when it refused the request. */
  providerMessageId: string | null;
}

export interface ContractFakeProvider {
  /** Every request the fake provider received (any endpoint), in order. */
  readonly requests: readonly ContractProviderRequest[];
  /** The next request gets this HTTP status, with the provider's own error body. */
  failNext(status: number): void;
}

export interface ChannelContractSubject<TPayload> {
  /** The plugin's channel, configured to send to `fakeProvider`. */
  channel: Channel;
  /** One customer message as the provider posts it (from the plugin's fixtures), and what it must parse to. */
  inbound: {
    payload: TPayload;
    expected: Pick<InboundMessage, "providerMessageId" | "from" | "to" | "body">;
  };
  /**
   * The HTTP request the provider would make for `payload`, signed with the configured secret, or
   * with `options.secret` instead (to prove a wrong key fails).
   */
  signInbound(payload: TPayload, options?: { secret?: string }): InboundHttpRequest;
  /**
   * Optional, for channels with `parseStatuses`: delivery reports as the provider posts them (from
   * the plugin's fixtures), signed with `signInbound`, and the one update each must parse to.
   */
  statuses?: Array<{
    name: string;
    payload: TPayload;
    expected: Pick<DeliveryStatusUpdate, "providerMessageId" | "state" | "errorCode">;
  }>;
  /** A shop address to send from and a customer address to send to, valid for this channel. */
  addresses: { from: string; to: string };
  fakeProvider: ContractFakeProvider;
  close(): Promise<void>;
}

const CHANNEL_KINDS: readonly ChannelKind[] = ["sms", "whatsapp", "email"];
const DELIVERY_STATES: readonly DeliveryState[] = ["queued", "sent", "delivered", "read", "failed"];

export function runChannelContract<TPayload>(name: string, setup: () => Promise<ChannelContractSubject<TPayload>>): void {
  describe(`Channel contract: ${name}`, () => {
    let subject: ChannelContractSubject<TPayload>;

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      await subject.close();
    });

    const outbound = (): OutboundMessage => ({
      messageId: `msg_contract_${name}`,
      channel: subject.channel.channel,
      from: subject.addresses.from,
      to: subject.addresses.to,
      // Accents, an emoji and characters that form and URL encodings treat specially.
      body: "Contrat ✓ : la robe #1001 en 38 & 40 = 2 tailles + 10% 👗",
    });

    async function sendRejection(): Promise<ProviderError> {
      const outcome = await subject.channel.send(outbound()).then(
        (result) => new Error(`send resolved with ${JSON.stringify(result)}`),
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(ProviderError);
      return outcome as ProviderError;
    }

    it("identifies its provider and channel", () => {
      expect(subject.channel.provider).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(CHANNEL_KINDS).toContain(subject.channel.channel);
    });

    it("verifies and parses a correctly signed inbound message", () => {
      const request = subject.signInbound(subject.inbound.payload);
      expect(subject.channel.verify(request)).toEqual({ ok: true });
      const message = subject.channel.parseInbound(request);
      expect(message).toMatchObject({ ...subject.inbound.expected, channel: subject.channel.channel });
      expect(Array.isArray(message.mediaUrls)).toBe(true);
      expect(Object.keys(message.raw).length).toBeGreaterThan(0);
      for (const value of Object.values(message.raw)) expect(typeof value).toBe("string");
    });

    it("does not verify a request signed with another secret", () => {
      const request = subject.signInbound(subject.inbound.payload, { secret: "not-the-configured-secret-0000" });
      const result = subject.channel.verify(request);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).not.toBe("");
    });

    it("does not verify a body changed after signing", () => {
      const signed = subject.signInbound(subject.inbound.payload);
      const id = subject.inbound.expected.providerMessageId;
      expect(signed.rawBody).toContain(id);
      const swapped = `${id.slice(0, -1)}${id.endsWith("0") ? "1" : "0"}`;
      expect(subject.channel.verify({ ...signed, rawBody: signed.rawBody.split(id).join(swapped) }).ok).toBe(false);
      expect(subject.channel.verify({ ...signed, rawBody: `${signed.rawBody} ` }).ok).toBe(false);
    });

    it("does not verify an unsigned request, and says why", () => {
      const signed = subject.signInbound(subject.inbound.payload);
      const headers = new Headers();
      const contentType = signed.headers.get("content-type");
      if (contentType) headers.set("content-type", contentType);
      const result = subject.channel.verify({ ...signed, headers });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).not.toBe("");
    });

    it("never throws from verify, whatever arrives", () => {
      const signed = subject.signInbound(subject.inbound.payload);
      expect(() => subject.channel.verify({ url: "not a url", headers: signed.headers, rawBody: "\u0000%%%{" })).not.toThrow();
      expect(subject.channel.verify({ url: "not a url", headers: signed.headers, rawBody: "\u0000%%%{" }).ok).toBe(false);
    });

    it("reads no delivery report in a customer message; status fixtures need parseStatuses", () => {
      if (!subject.channel.parseStatuses) {
        expect(subject.statuses).toBeUndefined();
        return;
      }
      expect(subject.channel.parseStatuses(subject.signInbound(subject.inbound.payload))).toEqual([]);
    });

    it("verifies and parses the provider's delivery reports, and refuses one signed with another secret", () => {
      for (const status of subject.statuses ?? []) {
        const request = subject.signInbound(status.payload);
        expect(subject.channel.verify(request), status.name).toEqual({ ok: true });
        expect(subject.channel.verify(subject.signInbound(status.payload, { secret: "not-the-configured-secret-0000" })).ok, status.name).toBe(false);
        const updates = subject.channel.parseStatuses?.(request) ?? [];
        expect(updates, status.name).toHaveLength(1);
        const [update] = updates;
        expect(update, status.name).toMatchObject(status.expected);
        expect(DELIVERY_STATES).toContain(update?.state);
        expect(update?.providerStatus).toMatch(/\S/);
        expect(update?.at === null || (update?.at instanceof Date && !Number.isNaN(update.at.getTime()))).toBe(true);
        for (const value of Object.values(update?.raw ?? {})) expect(typeof value).toBe("string");
      }
    });

    it("sends through the provider exactly once and returns the provider's id", async () => {
      const message = outbound();
      const before = subject.fakeProvider.requests.length;
      const result = await subject.channel.send(message);
      const requests = subject.fakeProvider.requests.slice(before);
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ to: message.to, from: message.from, body: message.body });
      expect(result.providerMessageId).not.toBe("");
      expect(result.providerMessageId).toBe(requests[0]?.providerMessageId);
      expect(result.status).toMatch(/\S/);
    });

    it.each([500, 503, 429])("maps HTTP %i to a retryable ProviderError, trying once", async (status) => {
      subject.fakeProvider.failNext(status);
      const error = await sendRejection();
      expect(error.details).toMatchObject({ provider: subject.channel.provider, status, retryable: true });
      expect(subject.fakeProvider.requests).toHaveLength(1);
    });

    it.each([400, 401, 403])("maps HTTP %i to a non-retryable ProviderError", async (status) => {
      subject.fakeProvider.failNext(status);
      const error = await sendRejection();
      expect(error.details).toMatchObject({ provider: subject.channel.provider, status, retryable: false });
      expect(subject.fakeProvider.requests).toHaveLength(1);
    });

    it("declares sane capabilities", () => {
      const { maxLength, media } = subject.channel.capabilities;
      expect(Number.isInteger(maxLength)).toBe(true);
      expect(maxLength).toBeGreaterThanOrEqual(subject.channel.channel === "sms" ? 160 : 1000);
      expect(maxLength).toBeLessThanOrEqual(1_000_000);
      expect(typeof media).toBe("boolean");
    });
  });
}
