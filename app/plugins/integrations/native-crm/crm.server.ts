/**
 * The built-in CRM (`native-crm`): contacts are the shop's own `customers` rows (the messaging
 * identities the app already keeps), notes live in `crm_notes`, tags in `crm_tags`. Every query is
 * filtered on the shop id given at creation: an instance cannot see another shop.
 *
 * Emails are stored trimmed and lower-cased and compared without case; phones are stored in E.164.
 * A customer erased by `customers/redact` (`redacted_at` set) is no longer a contact: it is not
 * found, not updated and takes no notes.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { crmNotes, crmTags, customers } from "../../../../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import { InvalidPayloadError, NotFoundError, type Crm, type CrmContact } from "~/plugins/types";
import type { NativeCrmConfig } from "./config";
import { segmentFor, type Segment, type SegmentInput } from "./segments";
import { normalizeEmail, normalizePhone } from "../contact-fields";

type CustomerRow = typeof customers.$inferSelect;
export type NoteAuthor = (typeof crmNotes.$inferSelect)["author"];

export interface NativeCrmNote {
  id: string;
  body: string;
  author: NoteAuthor;
  createdAt: Date;
}

/** The `Crm` contract plus what only the built-in CRM can do (its tags, its notes, segments). */
export interface NativeCrm extends Crm {
  /** `author` defaults to "system" (the engine recording a conversation summary or a hold). */
  addNote(contactId: string, body: string, author?: NoteAuthor): Promise<void>;
  listNotes(contactId: string): Promise<NativeCrmNote[]>;
  addTag(contactId: string, tag: string): Promise<void>;
  removeTag(contactId: string, tag: string): Promise<void>;
  /** `segmentFor` with this shop's thresholds. */
  segmentOf(input: SegmentInput): Segment;
}

export interface NativeCrmDeps {
  config: NativeCrmConfig;
  db: Database;
  shopId: string;
  clock: Clock;
  logger: Logger;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TAG_LENGTH = 100;
const MAX_NOTE_LENGTH = 65_536;

function cleanName(name: string | null | undefined): string | null {
  const value = name?.trim();
  return value ? value : null;
}

export function createNativeCrm({ config, db, shopId, clock, logger }: NativeCrmDeps): NativeCrm {
  const log = logger.child({ plugin: "native-crm", shopId });
  const inShop = and(eq(customers.shopId, shopId), isNull(customers.redactedAt));

  async function byEmail(email: string): Promise<CustomerRow | null> {
    const [row] = await db
      .select()
      .from(customers)
      .where(and(inShop, sql`lower(${customers.email}) = ${email}`))
      .orderBy(asc(customers.createdAt))
      .limit(1);
    return row ?? null;
  }

  async function byPhone(phone: string): Promise<CustomerRow | null> {
    const [row] = await db.select().from(customers).where(and(inShop, eq(customers.phone, phone))).limit(1);
    return row ?? null;
  }

  async function byId(contactId: string): Promise<CustomerRow> {
    // Not a uuid: no such contact (and no SQL error for the caller to decode).
    if (!UUID.test(contactId)) throw new NotFoundError(`no contact ${contactId} in this shop`);
    const [row] = await db.select().from(customers).where(and(inShop, eq(customers.id, contactId))).limit(1);
    if (!row) throw new NotFoundError(`no contact ${contactId} in this shop`);
    return row;
  }

  async function toContact(row: CustomerRow): Promise<CrmContact> {
    const tags = await db
      .select({ tag: crmTags.tag })
      .from(crmTags)
      .where(and(eq(crmTags.shopId, shopId), eq(crmTags.customerId, row.id)))
      .orderBy(asc(crmTags.tag));
    return {
      id: row.id,
      email: row.email,
      phone: row.phone,
      firstName: row.firstName,
      lastName: row.lastName,
      tags: tags.map((t) => t.tag),
    };
  }

  async function find(email: string | null, phone: string | null): Promise<CustomerRow | null> {
    // The email is the stronger identity: a shared family phone must not merge two people.
    if (email) {
      const row = await byEmail(email);
      if (row) return row;
    }
    return phone ? byPhone(phone) : null;
  }

  return {
    async findContact(by) {
      const email = normalizeEmail(by.email);
      let phone: string | null;
      try {
        phone = normalizePhone(by.phone);
      } catch {
        phone = null; // not a phone number: nobody has it
      }
      const row = await find(email, phone);
      return row ? toContact(row) : null;
    },

    async upsertContact(input) {
      const email = normalizeEmail(input.email);
      const phone = normalizePhone(input.phone);
      if (!email && !phone) throw new InvalidPayloadError("upsertContact needs an email or a phone number");
      const firstName = cleanName(input.firstName);
      const lastName = cleanName(input.lastName);
      const now = clock.now();

      for (let attempt = 0; attempt < 2; attempt++) {
        const existing = await find(email, phone);
        if (existing) {
          const changes: Partial<CustomerRow> = {};
          if (firstName && firstName !== existing.firstName) changes.firstName = firstName;
          if (lastName && lastName !== existing.lastName) changes.lastName = lastName;
          // Email and phone are messaging identities (a channel routes on them): fill a missing
          // one, never replace one, and never take one that another contact of the shop holds.
          if (email && !existing.email && !(await byEmail(email))) changes.email = email;
          if (phone && !existing.phone && !(await byPhone(phone))) changes.phone = phone;
          if (Object.keys(changes).length === 0) return toContact(existing);
          const [updated] = await db
            .update(customers)
            .set({ ...changes, updatedAt: now })
            .where(and(inShop, eq(customers.id, existing.id)))
            .returning();
          if (!updated) throw new NotFoundError(`contact ${existing.id} disappeared while being updated`);
          return toContact(updated);
        }
        const [created] = await db
          .insert(customers)
          .values({ shopId, email, phone, firstName, lastName, createdAt: now, updatedAt: now })
          .onConflictDoNothing()
          .returning();
        if (created) {
          log.info("contact created", { contactId: created.id });
          return toContact(created);
        }
        // A concurrent first message from the same customer inserted the row: update that one.
      }
      throw new Error("upsertContact: the contact kept changing under a concurrent writer");
    },

    async addNote(contactId, body, author = "system") {
      const text = body.trim();
      if (!text) throw new InvalidPayloadError("a note cannot be empty");
      if (text.length > MAX_NOTE_LENGTH) throw new InvalidPayloadError(`a note is limited to ${MAX_NOTE_LENGTH} characters`);
      const contact = await byId(contactId);
      await db.insert(crmNotes).values({ shopId, customerId: contact.id, body: text, author, createdAt: clock.now() });
    },

    async listNotes(contactId) {
      const contact = await byId(contactId);
      const rows = await db
        .select({ id: crmNotes.id, body: crmNotes.body, author: crmNotes.author, createdAt: crmNotes.createdAt })
        .from(crmNotes)
        .where(and(eq(crmNotes.shopId, shopId), eq(crmNotes.customerId, contact.id)))
        .orderBy(asc(crmNotes.createdAt), asc(crmNotes.id));
      return rows;
    },

    async addTag(contactId, tag) {
      const value = tag.trim();
      if (!value || value.length > MAX_TAG_LENGTH) throw new InvalidPayloadError(`a tag has 1 to ${MAX_TAG_LENGTH} characters`);
      const contact = await byId(contactId);
      await db.insert(crmTags).values({ shopId, customerId: contact.id, tag: value, createdAt: clock.now() }).onConflictDoNothing();
    },

    async removeTag(contactId, tag) {
      const contact = await byId(contactId);
      await db
        .delete(crmTags)
        .where(and(eq(crmTags.shopId, shopId), eq(crmTags.customerId, contact.id), eq(crmTags.tag, tag.trim())));
    },

    segmentOf(input) {
      return segmentFor(input, config.segments);
    },

    async testConnection() {
      try {
        await db.execute(sql`select 1`);
        return { ok: true };
      } catch (error) {
        const reason = `the database did not answer: ${error instanceof Error ? error.message : String(error)}`;
        log.warn("connection test failed", { reason });
        return { ok: false, reason };
      }
    },
  };
}
