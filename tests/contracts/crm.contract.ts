/**
 * The `Crm` contract (app/plugins/types.ts), as one suite every CRM plugin runs against its own
 * store: `runCrmContract("name", setup)` in `crm.contract.test.ts`, one line per plugin and
 * database. The suite knows nothing about any vendor; the setup adapts the plugin's store (our
 * database for the built-in CRM, a local fake HTTP API for HubSpot and Salesforce).
 *
 * What every CRM promises:
 * - contacts are found by email (without case) or by E.164 phone; the email wins when both are
 *   given and point at different contacts; nothing to look for → null, without a call;
 * - `upsertContact` creates once and then updates the same contact: names are updated, a missing
 *   email or phone is filled in, nothing given is erased; it needs an email or a phone;
 * - notes land on the contact, in the CRM's own store; an unknown contact is a `NotFoundError`;
 * - one shop's (account's) CRM never sees another's contacts;
 * - `testConnection` says ok with working credentials and explains a refusal without throwing;
 * - vendors: 429 / 5xx are retryable `ProviderError`s (429 carrying `Retry-After` as
 *   `retryAfterMs`), 401 is not; and the fake received no request it did not expect.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidPayloadError, NotFoundError, ProviderError, type Crm, type CrmContact } from "~/plugins/types";

export interface CrmContractFakeProvider {
  /** Requests the fake received so far (any endpoint). */
  readonly requestCount: number;
  /** Requests the fake did not expect (unknown route, unreadable query): must stay empty. */
  readonly unexpected: readonly string[];
  /** The next request gets `status` (with the vendor's error body); `retryAfterSeconds` adds `Retry-After`. */
  failNext(status: number, options?: { retryAfterSeconds?: number }): void;
}

export interface CrmContractSubject {
  /** The plugin's CRM for "this" shop. */
  crm: Crm;
  /** The same plugin for another shop (another account at the vendor). */
  otherCrm: Crm;
  /** A contact the store held before the test (vendors: from the recorded payloads). */
  existing: { email: string; firstName: string | null; lastName: string | null };
  /** The note bodies the store holds for a contact, read from the store itself. */
  notesOf(contactId: string): Promise<string[]>;
  /** A well-formed id of a contact that does not exist. */
  unknownContactId: string;
  /** Remote plugins only (`remote: true`). */
  fakeProvider?: CrmContractFakeProvider;
  /** Remote plugins only: the same plugin with a credential the vendor refuses. */
  withBadCredentials?: () => Crm;
  close(): Promise<void>;
}

/** What a retryable refusal asked us to wait, when the plugin exposes it. */
export function retryAfterMsOf(error: unknown): number | null | undefined {
  if (typeof error !== "object" || error === null || !("retryAfterMs" in error)) return undefined;
  const value = error.retryAfterMs;
  return typeof value === "number" || value === null ? value : undefined;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => new Error(`expected a rejection, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

export function runCrmContract(
  name: string,
  setup: () => Promise<CrmContractSubject>,
  options: {
    /** A vendor behind HTTP: the subject has `fakeProvider` and `withBadCredentials`, and their tests run. */
    remote: boolean;
  },
): void {
  describe(`Crm contract: ${name}`, () => {
    let subject: CrmContractSubject;
    let counter = 0;
    /** Identities unique to one test, so that tests never depend on each other's contacts. */
    const fresh = () => {
      counter += 1;
      const n = `${Date.now().toString(36)}${counter}`;
      return { email: `client.${n}@exemple.fr`, phone: `+336${String(10_000_000 + counter * 7919 + (Date.now() % 1000)).slice(-8)}` };
    };

    beforeEach(async () => {
      subject = await setup();
    });

    afterEach(async () => {
      const unexpected = subject.fakeProvider ? [...subject.fakeProvider.unexpected] : [];
      await subject.close();
      expect(unexpected, "requests the fake provider did not expect").toEqual([]);
    });

    const expectContact = (contact: CrmContact | null): CrmContact => {
      expect(contact).not.toBeNull();
      if (!contact) throw new Error("no contact");
      expect(contact.id).toMatch(/\S/);
      expect(Array.isArray(contact.tags)).toBe(true);
      return contact;
    };

    it("finds a contact the store already holds, by email in any case", async () => {
      const found = expectContact(await subject.crm.findContact({ email: subject.existing.email.toUpperCase() }));
      expect(found.email?.toLowerCase()).toBe(subject.existing.email.toLowerCase());
      expect(found.firstName).toBe(subject.existing.firstName);
      expect(found.lastName).toBe(subject.existing.lastName);
    });

    it("returns null for an unknown email or phone, and for nothing to look for (without a call)", async () => {
      const { email, phone } = fresh();
      expect(await subject.crm.findContact({ email })).toBeNull();
      expect(await subject.crm.findContact({ phone })).toBeNull();
      const before = subject.fakeProvider?.requestCount;
      expect(await subject.crm.findContact({})).toBeNull();
      expect(await subject.crm.findContact({ email: "  ", phone: "" })).toBeNull();
      expect(subject.fakeProvider?.requestCount).toBe(before);
    });

    it("creates a contact once, then finds it by email and by phone", async () => {
      const { email, phone } = fresh();
      const created = expectContact(await subject.crm.upsertContact({ email, phone, firstName: "Julie", lastName: "Martin" }));
      expect(created).toMatchObject({ email, phone, firstName: "Julie", lastName: "Martin" });
      expect(await subject.crm.findContact({ email })).toEqual(created);
      expect(await subject.crm.findContact({ phone })).toEqual(created);
      expect(await subject.crm.findContact({ email, phone })).toEqual(created);
    });

    it("updates the same contact on a second upsert, erasing nothing it was not given", async () => {
      const { email, phone } = fresh();
      const first = expectContact(await subject.crm.upsertContact({ email, phone, firstName: "Julie", lastName: "Martin" }));
      const second = expectContact(await subject.crm.upsertContact({ email: email.toUpperCase(), firstName: "Juliette", lastName: null }));
      expect(second.id).toBe(first.id);
      expect(second).toMatchObject({ email, phone, firstName: "Juliette", lastName: "Martin" });
      expect(await subject.crm.findContact({ email })).toEqual(second);
      // Nothing new: the same contact comes back unchanged.
      expect(await subject.crm.upsertContact({ phone })).toEqual(second);
    });

    it("fills in the email of a contact first known by its phone", async () => {
      const { email, phone } = fresh();
      const byPhone = expectContact(await subject.crm.upsertContact({ phone }));
      expect(byPhone).toMatchObject({ phone, email: null, firstName: null, lastName: null });
      const completed = expectContact(await subject.crm.upsertContact({ phone, email, firstName: "Amélie" }));
      expect(completed.id).toBe(byPhone.id);
      expect(completed).toMatchObject({ phone, email, firstName: "Amélie" });
      expect((await subject.crm.findContact({ email }))?.id).toBe(byPhone.id);
    });

    it("prefers the email's contact when email and phone point at two contacts", async () => {
      const a = fresh();
      const b = fresh();
      const byEmail = expectContact(await subject.crm.upsertContact({ email: a.email, firstName: "Anne" }));
      const byPhone = expectContact(await subject.crm.upsertContact({ phone: b.phone, firstName: "Bruno" }));
      expect(byEmail.id).not.toBe(byPhone.id);
      expect((await subject.crm.findContact({ email: a.email, phone: b.phone }))?.id).toBe(byEmail.id);
      const upserted = expectContact(await subject.crm.upsertContact({ email: a.email, phone: b.phone }));
      expect(upserted.id).toBe(byEmail.id);
      expect((await subject.crm.findContact({ phone: b.phone }))?.id).toBe(byPhone.id);
    });

    it("keeps quotes, backslashes and accents in values intact (no query injection)", async () => {
      counter += 1;
      const email = `o'hara.${Date.now().toString(36)}${counter}@exemple.fr`;
      const created = expectContact(await subject.crm.upsertContact({ email, firstName: "Zoë \\ 'Z'", lastName: "D'Artagnan OR Email != ''" }));
      expect(created).toMatchObject({ email, firstName: "Zoë \\ 'Z'", lastName: "D'Artagnan OR Email != ''" });
      expect(await subject.crm.findContact({ email })).toEqual(created);
      expect(await subject.crm.findContact({ email: "x' OR Email != 'y@exemple.fr" })).toBeNull();
    });

    it("refuses an upsert without email or phone, and a phone that is not one", async () => {
      expect(await rejection(subject.crm.upsertContact({ firstName: "Personne" }))).toBeInstanceOf(InvalidPayloadError);
      expect(await rejection(subject.crm.upsertContact({ email: " ", phone: null }))).toBeInstanceOf(InvalidPayloadError);
      expect(await rejection(subject.crm.upsertContact({ phone: "not a phone" }))).toBeInstanceOf(InvalidPayloadError);
    });

    it("records a note on the contact, in the store itself", async () => {
      const { email } = fresh();
      const contact = expectContact(await subject.crm.upsertContact({ email, firstName: "Julie" }));
      const body = "Résumé : robe fleurie bleue en 38 mise de côté jusqu'à demain 18h ✓\nDeuxième ligne.";
      await subject.crm.addNote(contact.id, body);
      await subject.crm.addNote(contact.id, "Rappel envoyé");
      const notes = await subject.notesOf(contact.id);
      expect(notes).toHaveLength(2);
      expect(notes).toContain(body);
      expect(notes).toContain("Rappel envoyé");
    });

    it("refuses a note on a contact that does not exist, and an empty note", async () => {
      expect(await rejection(subject.crm.addNote(subject.unknownContactId, "perdu"))).toBeInstanceOf(NotFoundError);
      expect(await rejection(subject.crm.addNote("../../etc/passwd", "perdu"))).toBeInstanceOf(NotFoundError);
      const contact = expectContact(await subject.crm.upsertContact({ email: fresh().email }));
      expect(await rejection(subject.crm.addNote(contact.id, "   "))).toBeInstanceOf(InvalidPayloadError);
      expect(await subject.notesOf(contact.id)).toEqual([]);
    });

    it("never shows one shop's contacts to another", async () => {
      const { email, phone } = fresh();
      const mine = expectContact(await subject.crm.upsertContact({ email, phone, firstName: "Julie" }));
      expect(await subject.otherCrm.findContact({ email })).toBeNull();
      expect(await subject.otherCrm.findContact({ phone })).toBeNull();
      expect(await rejection(subject.otherCrm.addNote(mine.id, "pas chez moi"))).toBeInstanceOf(NotFoundError);
      const theirs = expectContact(await subject.otherCrm.upsertContact({ email, firstName: "Autre" }));
      expect(theirs.id).not.toBe(mine.id);
      expect((await subject.crm.findContact({ email }))?.firstName).toBe("Julie");
      expect(await subject.notesOf(mine.id)).toEqual([]);
    });

    it("passes its connection test", async () => {
      expect(await subject.crm.testConnection()).toEqual({ ok: true });
    });

    describe.runIf(options.remote)("behind HTTP", () => {
      const remote = () => {
        const { fakeProvider, withBadCredentials } = subject;
        if (!fakeProvider || !withBadCredentials) throw new Error(`${name}: a remote subject needs fakeProvider and withBadCredentials`);
        return { fake: fakeProvider, withBadCredentials };
      };

      it("explains a refused credential from testConnection, and refuses calls without retrying", async () => {
        const { fake, withBadCredentials } = remote();
        const bad = withBadCredentials();
        const result = await bad.testConnection();
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(/\S/);
        const before = fake.requestCount;
        const error = await rejection(bad.findContact({ email: subject.existing.email }));
        expect(error).toBeInstanceOf(ProviderError);
        expect((error as ProviderError).details).toMatchObject({ status: 401, retryable: false });
        expect(fake.requestCount - before).toBe(1);
      });

      it.each([429, 500, 503])("maps HTTP %i to a retryable ProviderError carrying Retry-After, trying once", async (status) => {
        const { fake } = remote();
        fake.failNext(status, { retryAfterSeconds: 7 });
        const before = fake.requestCount;
        const error = await rejection(subject.crm.findContact({ email: subject.existing.email }));
        expect(error).toBeInstanceOf(ProviderError);
        expect((error as ProviderError).details).toMatchObject({ status, retryable: true });
        expect(retryAfterMsOf(error)).toBe(7000);
        expect(fake.requestCount - before).toBe(1);
      });

      it.each([400, 401, 403])("maps HTTP %i to a non-retryable ProviderError", async (status) => {
        const { fake } = remote();
        fake.failNext(status);
        const before = fake.requestCount;
        const error = await rejection(subject.crm.upsertContact({ email: fresh().email }));
        expect(error).toBeInstanceOf(ProviderError);
        expect((error as ProviderError).details).toMatchObject({ status, retryable: false });
        expect(fake.requestCount - before).toBe(1);
      });
    });
  });
}
