/** How every CRM plugin normalises a contact's email and phone before comparing or storing them. */
import { toE164 } from "~/lib/phone";
import { InvalidPayloadError } from "~/plugins/types";

/** Lower-case and trimmed; null for an empty value. */
export function normalizeEmail(email: string | null | undefined): string | null {
  const value = email?.trim().toLowerCase();
  return value ? value : null;
}

/** E.164, or an `InvalidPayloadError` for a value that is not a phone number. */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined || phone.trim() === "") return null;
  const e164 = toE164(phone);
  if (!e164) throw new InvalidPayloadError(`not a valid phone number: ${phone}`);
  return e164;
}

/** A stored phone in E.164 when it parses, else as stored. */
export function phoneOf(value: string | null | undefined): string | null {
  if (!value) return null;
  return toE164(value) ?? value.trim();
}
