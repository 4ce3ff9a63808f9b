/**
 * Customers capability on Shopify: find the shop's customer behind a phone number or email, and the
 * app's writes (`CustomerWriter`): create a customer, add tags, the note, and the app's own data —
 * preferred channel, usual size, per-channel consent — in app-owned metafields (`$app` namespace,
 * see documents-customers.ts), which merchants read in the Shopify admin.
 *
 * Phone numbers are sent in E.164 (libphonenumber-js, in the shop's country by default).
 */
import type { CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { toE164 } from "~/lib/phone";
import type { AdminClient } from "./admin-client";
import { CUSTOMER_BY_QUERY, type CustomerByQueryData, type CustomerNode } from "./documents";
import {
  APP_NAMESPACE,
  CUSTOMER_CREATE_MUTATION,
  CUSTOMER_METAFIELDS,
  CUSTOMER_METAFIELDS_SET_MUTATION,
  CUSTOMER_NOTE_UPDATE_MUTATION,
  CUSTOMER_PROFILE_QUERY,
  CUSTOMER_TAGS_ADD_MUTATION,
  type CustomerCreateMutationData,
  type CustomerCreateMutationVariables,
  type CustomerMetafieldKey,
  type CustomerMetafieldsSetMutationData,
  type CustomerMetafieldsSetMutationVariables,
  type CustomerNoteUpdateMutationData,
  type CustomerNoteUpdateMutationVariables,
  type CustomerProfileQueryData,
  type CustomerProfileQueryVariables,
  type CustomerTagsAddMutationData,
  type CustomerTagsAddMutationVariables,
  type UserErrorNode,
} from "./documents-customers";
import {
  InvalidPayloadError,
  NotFoundError,
  ProviderError,
  type ChannelConsent,
  type ChannelKind,
  type CustomerProfile,
  type Customers,
  type CustomerWriter,
  type ShopCustomer,
} from "~/plugins/types";

export type { ChannelConsent, CustomerProfile, CustomerWriter, NewCustomer } from "~/plugins/types";

const CHANNELS: readonly ChannelKind[] = ["sms", "whatsapp", "email"];
const CONSENT_KEY: Record<ChannelKind, CustomerMetafieldKey> = { sms: "sms_consent", whatsapp: "whatsapp_consent", email: "email_consent" };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const consentValue = z.object({ granted: z.boolean(), at: z.string().datetime({ offset: true }), source: z.string() });

function toShopCustomer(node: CustomerNode): ShopCustomer {
  return {
    id: node.id,
    firstName: node.firstName,
    lastName: node.lastName,
    email: node.defaultEmailAddress?.emailAddress ?? null,
    phone: node.defaultPhoneNumber?.phoneNumber ?? null,
    tags: node.tags,
    locale: node.locale,
    numberOfOrders: Number(node.numberOfOrders),
  };
}

/** Quote a value for Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax). */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function isChannel(value: string | undefined): value is ChannelKind {
  return (CHANNELS as readonly string[]).includes(value ?? "");
}

/** Shopify's userErrors as our errors: an unknown id is `NotFoundError`, anything else `ProviderError`. */
function throwOnUserErrors(action: string, errors: ReadonlyArray<UserErrorNode & { code?: string | null }>): void {
  if (errors.length === 0) return;
  const message = `${action}: ${errors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ")}`;
  if (errors.some((e) => /does not exist|not found/i.test(e.message))) throw new NotFoundError(message);
  throw new ProviderError(message, { provider: "shopify", code: errors[0]?.code ?? undefined, retryable: false });
}

function cleanTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags
    .map((t) => t.trim())
    .filter((t) => {
      if (t === "" || seen.has(t.toLowerCase())) return false;
      seen.add(t.toLowerCase());
      return true;
    });
}

export function createShopifyCustomers(deps: { admin: AdminClient; defaultCountry?: CountryCode }): Customers & CustomerWriter {
  const { admin } = deps;
  const defaultCountry = deps.defaultCountry ?? "FR";

  const find = async (query: string) => {
    const data = await admin.request<CustomerByQueryData>(CUSTOMER_BY_QUERY, { query });
    const node = data.customers.nodes[0];
    return node ? toShopCustomer(node) : null;
  };
  const findByPhone = (phone: string) => find(`phone:${quoted(phone)}`);
  const findByEmail = (email: string) => find(`email:${quoted(email)}`);

  const setMetafields = async (customerId: string, values: Partial<Record<CustomerMetafieldKey, string>>) => {
    const metafields = (Object.entries(values) as Array<[CustomerMetafieldKey, string | undefined]>).flatMap(([key, value]) =>
      value === undefined ? [] : [{ ownerId: customerId, namespace: APP_NAMESPACE, key, type: CUSTOMER_METAFIELDS[key], value }],
    );
    if (metafields.length === 0) return;
    const variables: CustomerMetafieldsSetMutationVariables = { metafields };
    const data = await admin.request<CustomerMetafieldsSetMutationData>(CUSTOMER_METAFIELDS_SET_MUTATION, { ...variables });
    throwOnUserErrors(`metafieldsSet on ${customerId}`, data.metafieldsSet?.userErrors ?? []);
  };

  const updateNote = async (customerId: string, note: string | null) => {
    const variables: CustomerNoteUpdateMutationVariables = { input: { id: customerId, note } };
    const data = await admin.request<CustomerNoteUpdateMutationData>(CUSTOMER_NOTE_UPDATE_MUTATION, { ...variables });
    throwOnUserErrors(`customerUpdate on ${customerId}`, data.customerUpdate?.userErrors ?? []);
    if (!data.customerUpdate?.customer) throw new NotFoundError(`no customer ${customerId} in ${admin.shopDomain}`);
  };

  const profile = async (customerId: string): Promise<CustomerProfile | null> => {
    const variables: CustomerProfileQueryVariables = { id: customerId };
    const { customer } = await admin.request<CustomerProfileQueryData>(CUSTOMER_PROFILE_QUERY, { ...variables });
    if (!customer) return null;
    const consentOf = (field: { jsonValue: unknown } | null): ChannelConsent | null => {
      // A value the app did not write (or wrote in an older shape) counts as no answer, not as consent.
      const parsed = consentValue.safeParse(field?.jsonValue);
      return parsed.success ? { granted: parsed.data.granted, at: new Date(parsed.data.at), source: parsed.data.source } : null;
    };
    const channel = customer.preferredChannel?.value;
    return {
      customerId: customer.id,
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.defaultEmailAddress?.emailAddress ?? null,
      phone: customer.defaultPhoneNumber?.phoneNumber ?? null,
      numberOfOrders: Number(customer.numberOfOrders),
      amountSpent: { amount: customer.amountSpent.amount, currency: customer.amountSpent.currencyCode },
      customerSince: new Date(customer.createdAt),
      note: customer.note,
      tags: customer.tags,
      preferredChannel: isChannel(channel) ? channel : null,
      usualSize: customer.usualSize?.value ?? null,
      consent: {
        sms: consentOf(customer.smsConsent),
        whatsapp: consentOf(customer.whatsappConsent),
        email: consentOf(customer.emailConsent),
      },
    };
  };

  return {
    findByPhone,
    findByEmail,

    async create(input) {
      const phone = input.phone?.trim() ? toE164(input.phone, defaultCountry) : null;
      if (input.phone?.trim() && phone === null) throw new InvalidPayloadError(`"${input.phone}" is not a valid phone number`);
      const email = input.email?.trim().toLowerCase() || null;
      if (email !== null && !EMAIL.test(email)) throw new InvalidPayloadError(`"${input.email}" is not a valid email address`);
      const existing = async () => (phone ? await findByPhone(phone) : null) ?? (email ? await findByEmail(email) : null);

      const found = await existing();
      if (found) return found;

      const firstName = input.firstName?.trim();
      const lastName = input.lastName?.trim();
      const note = input.note?.trim();
      const tags = cleanTags(input.tags ?? []);
      const variables: CustomerCreateMutationVariables = {
        input: {
          ...(firstName ? { firstName } : {}),
          ...(lastName ? { lastName } : {}),
          ...(email ? { email } : {}),
          ...(phone ? { phone } : {}),
          ...(input.locale ? { locale: input.locale } : {}),
          ...(tags.length > 0 ? { tags } : {}),
          ...(note ? { note } : {}),
        },
      };
      const data = await admin.request<CustomerCreateMutationData>(CUSTOMER_CREATE_MUTATION, { ...variables });
      const errors = data.customerCreate?.userErrors ?? [];
      // Another request created the same customer meanwhile: Shopify says the phone or email is taken.
      if (errors.some((e) => /taken/i.test(e.message))) {
        const raced = await existing();
        if (raced) return raced;
      }
      throwOnUserErrors("customerCreate", errors);
      const created = data.customerCreate?.customer;
      if (!created) throw new ProviderError("customerCreate gave no customer", { provider: "shopify", retryable: false });
      return toShopCustomer(created);
    },

    async addTags(customerId, tags) {
      const cleaned = cleanTags(tags);
      if (cleaned.length === 0) return;
      const variables: CustomerTagsAddMutationVariables = { id: customerId, tags: cleaned };
      const data = await admin.request<CustomerTagsAddMutationData>(CUSTOMER_TAGS_ADD_MUTATION, { ...variables });
      throwOnUserErrors(`tagsAdd on ${customerId}`, data.tagsAdd?.userErrors ?? []);
      if (!data.tagsAdd?.node) throw new NotFoundError(`no customer ${customerId} in ${admin.shopDomain}`);
    },

    updateNote,

    async appendNote(customerId, line) {
      const text = line.trim();
      if (text === "") return;
      const current = await profile(customerId);
      if (!current) throw new NotFoundError(`no customer ${customerId} in ${admin.shopDomain}`);
      const lines = (current.note ?? "").split("\n");
      if (lines.some((l) => l.trim() === text)) return;
      await updateNote(customerId, current.note?.trim() ? `${current.note.trimEnd()}\n${text}` : text);
    },

    async setPreferences(customerId, preferences) {
      const usualSize = preferences.usualSize?.trim();
      if (preferences.preferredChannel !== undefined && !isChannel(preferences.preferredChannel)) {
        throw new InvalidPayloadError(`unknown channel "${String(preferences.preferredChannel)}"`);
      }
      await setMetafields(customerId, {
        preferred_channel: preferences.preferredChannel,
        usual_size: usualSize ? usualSize : undefined,
      });
    },

    async setConsent(customerId, channel, consent) {
      if (!isChannel(channel)) throw new InvalidPayloadError(`unknown channel "${String(channel)}"`);
      const value = JSON.stringify({ granted: consent.granted, at: consent.at.toISOString(), source: consent.source });
      await setMetafields(customerId, { [CONSENT_KEY[channel]]: value });
    },

    profile,
  };
}
