/**
 * The merchant's broadcasts page (app/routes/app.broadcasts.tsx) over the broadcast services
 * (broadcasts.server.ts): the shop's broadcasts with their progress, a preview of a new one
 * (recipients after consent filtering, channel split, cost — nothing written), scheduling it, and
 * cancelling what has not gone yet. The form is checked here again whatever the page did. Every
 * function takes the shop and filters on it.
 */
import { and, desc, eq } from "drizzle-orm";
import { broadcasts, type BroadcastSegment, type BroadcastStatus } from "../../db/schema";
import { parseLocalDateTime } from "~/lib/local-date-time";
import type { ChannelKind } from "~/plugins/types";
import { findShopByDomain } from "~/shops/install.server";
import { checkBroadcastFields, segmentOf, type BroadcastFormError, type BroadcastFormField, type BroadcastFormValues } from "./broadcast-form";
import {
  broadcastProgress,
  cancelBroadcast,
  createBroadcast,
  prepareBroadcast,
  scheduleBroadcast,
  type BroadcastDeps,
  type BroadcastPreparation,
  type BroadcastProgress,
} from "./broadcasts.server";

/** The page lists the latest broadcasts; a boutique sends a few a month. */
const LIST_LIMIT = 50;
/** A send time typed for "now" is a minute old by the time she clicks: not "in the past". */
const PAST_TOLERANCE_MS = 5 * 60_000;

export interface BroadcastListItem {
  id: string;
  name: string;
  segment: BroadcastSegment;
  status: BroadcastStatus;
  text: string;
  sendAt: string;
  createdAt: string;
  recipientCount: number;
  estimatedCost: number;
  excluded: Record<string, number>;
  progress: BroadcastProgress;
}

export interface BroadcastPreview {
  recipients: number;
  byChannel: Record<ChannelKind, number>;
  excluded: Record<string, number>;
  estimatedCost: { amount: number; currency: "EUR" };
  /** When sending may start (the orchestrator still waits for marketing hours). */
  sendAt: string;
}

export type BroadcastFormResult =
  | { ok: true; preview: BroadcastPreview; broadcastId?: string; scheduled?: number }
  | {
      ok: false;
      errors: Partial<Record<BroadcastFormField | "form", BroadcastFormError | "no_recipients" | "shopify_failed">>;
      /** What was prepared, when the form was valid but nobody would receive it. */
      preview?: BroadcastPreview;
    };

type Shop = { id: string; domain: string; timezone: string };

export async function listBroadcasts(deps: Pick<BroadcastDeps, "db">, shopId: string): Promise<BroadcastListItem[]> {
  const rows = await deps.db.select().from(broadcasts).where(eq(broadcasts.shopId, shopId)).orderBy(desc(broadcasts.createdAt)).limit(LIST_LIMIT);
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      name: row.name,
      segment: row.segment,
      status: row.status,
      text: row.text,
      sendAt: row.sendAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
      recipientCount: row.recipientCount,
      estimatedCost: row.estimatedCost,
      excluded: row.excluded,
      progress: await broadcastProgress(deps.db, { shopId, broadcastId: row.id }),
    })),
  );
}

function toPreview(prepared: BroadcastPreparation, sendAt: Date): BroadcastPreview {
  return { recipients: prepared.recipients.length, byChannel: prepared.byChannel, excluded: prepared.excluded, estimatedCost: prepared.estimatedCost, sendAt: sendAt.toISOString() };
}

/** The form's broadcast, or its errors (each field's first). */
function validate(deps: Pick<BroadcastDeps, "clock">, shop: Shop, values: BroadcastFormValues) {
  const errors: Partial<Record<BroadcastFormField, BroadcastFormError>> = checkBroadcastFields(values);
  const now = deps.clock.now();
  let sendAt = now;
  if (values.sendAt.trim() !== "") {
    const parsed = parseLocalDateTime(values.sendAt, shop.timezone);
    if (!parsed) errors.sendAt = "send_at_invalid";
    else if (parsed.getTime() < now.getTime() - PAST_TOLERANCE_MS) errors.sendAt = "send_at_past";
    else sendAt = parsed > now ? parsed : now;
  }
  const segment = segmentOf(values);
  if (Object.keys(errors).length > 0 || "error" in segment) return { ok: false as const, errors };
  return { ok: true as const, input: { shopId: shop.id, name: values.name.trim(), segment: segment.segment, text: values.text.trim(), sendAt } };
}

function failure(deps: Pick<BroadcastDeps, "logger">, error: unknown): BroadcastFormResult {
  // Reading the shop's customers from Shopify failed: the form stays as it was, she can try again.
  deps.logger.warn("broadcast not prepared", { error: error instanceof Error ? error.message : String(error) });
  return { ok: false, errors: { form: "shopify_failed" } };
}

/** Who would receive it, on which channel, for how much: nothing is written. */
export async function previewBroadcast(deps: BroadcastDeps, shop: Shop, values: BroadcastFormValues): Promise<BroadcastFormResult> {
  const checked = validate(deps, shop, values);
  if (!checked.ok) return checked;
  try {
    const preview = toPreview(await prepareBroadcast(deps, checked.input), checked.input.sendAt);
    return preview.recipients === 0 ? { ok: false, errors: { segment: "no_recipients" }, preview } : { ok: true, preview };
  } catch (error) {
    return failure(deps, error);
  }
}

/** Save it and schedule it (one message per recipient, sent in marketing hours). */
export async function scheduleNewBroadcast(deps: BroadcastDeps, shop: Shop, values: BroadcastFormValues): Promise<BroadcastFormResult> {
  const checked = validate(deps, shop, values);
  if (!checked.ok) return checked;
  try {
    const { broadcast, preparation } = await createBroadcast(deps, checked.input);
    const preview = toPreview(preparation, checked.input.sendAt);
    if (preparation.recipients.length === 0) {
      // Nobody to send it to: no draft left behind, the form keeps what she wrote.
      await deps.db.delete(broadcasts).where(and(eq(broadcasts.shopId, shop.id), eq(broadcasts.id, broadcast.id)));
      return { ok: false, errors: { segment: "no_recipients" }, preview };
    }
    const { scheduled } = await scheduleBroadcast(deps, { shopId: shop.id, broadcastId: broadcast.id });
    return { ok: true, preview, broadcastId: broadcast.id, scheduled };
  } catch (error) {
    return failure(deps, error);
  }
}

/** Stop what has not gone yet; false when the shop has no such broadcast (or it was already stopped). */
export async function cancelShopBroadcast(deps: BroadcastDeps, shopId: string, broadcastId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(broadcastId)) return false;
  const [row] = await deps.db.select({ status: broadcasts.status }).from(broadcasts).where(and(eq(broadcasts.shopId, shopId), eq(broadcasts.id, broadcastId))).limit(1);
  if (!row || row.status === "cancelled") return false;
  await cancelBroadcast(deps, { shopId, broadcastId });
  return true;
}

/** What routes reach through `context.services.broadcastsPage`. */
export interface BroadcastsPageService {
  /** The installed shop behind a session's domain, or null. */
  shop(domain: string): Promise<Shop | null>;
  list(shopId: string): Promise<BroadcastListItem[]>;
  preview(shop: Shop, values: BroadcastFormValues): Promise<BroadcastFormResult>;
  schedule(shop: Shop, values: BroadcastFormValues): Promise<BroadcastFormResult>;
  cancel(shopId: string, broadcastId: string): Promise<boolean>;
  now(): Date;
}

export function createBroadcastsPageService(deps: BroadcastDeps): BroadcastsPageService {
  return {
    shop: async (domain) => {
      const shop = await findShopByDomain(deps.db, domain);
      return shop && !shop.uninstalledAt ? { id: shop.id, domain: shop.domain, timezone: shop.timezone } : null;
    },
    list: (shopId) => listBroadcasts(deps, shopId),
    preview: (shop, values) => previewBroadcast(deps, shop, values),
    schedule: (shop, values) => scheduleNewBroadcast(deps, shop, values),
    cancel: (shopId, id) => cancelShopBroadcast(deps, shopId, id),
    now: () => deps.clock.now(),
  };
}
