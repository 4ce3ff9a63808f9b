/**
 * Scheduled messages (DESIGN §8): the `scheduled_messages` row is the truth, a BullMQ delayed job
 * (`scheduled.send`) fires it at its time. Writers store the row, then arm its job; rows whose job
 * could not be armed (Redis down) are armed again when a worker starts, so nothing is lost across
 * restarts. A job carries the due time it was armed for: when the row was moved or cancelled
 * since, the job finds a row that no longer matches and does nothing.
 */
import { inArray } from "drizzle-orm";
import { scheduledMessages } from "../../db/schema";
import type { Database } from "~/db.server";
import type { Logger } from "~/lib/logger.server";

export interface ScheduledRef {
  id: string;
  shopId: string;
  dueAt: Date;
}

/** Arms the delayed job of a stored row (production: a BullMQ delayed job, see services). */
export type ArmScheduledMessage = (row: ScheduledRef) => Promise<void>;

/** Statuses whose row still has to go out. */
export const WAITING_STATUSES = ["scheduled", "deferred"] as const;

/** One job per row and due time: re-arming the same time is one job; moving the row makes a new one. */
export function scheduledSendJobId(row: Pick<ScheduledRef, "id" | "dueAt">): string {
  // BullMQ accepts ':' in a custom id only when it has exactly three parts; a uuid has no ':'.
  return `scheduled:${row.id}:${row.dueAt.getTime()}`;
}

/**
 * Arm rows just written, never failing the caller: the customer's reply or Shopify's webhook must
 * not fail because Redis hiccuped; the row waits for `armWaitingScheduledMessages`.
 */
export async function armQuietly(arm: ArmScheduledMessage | undefined, rows: readonly ScheduledRef[], logger: Logger): Promise<void> {
  if (!arm) return;
  for (const row of rows) {
    try {
      await arm(row);
    } catch (error) {
      logger.warn("scheduled message stored but not armed; it will be armed when a worker starts", { scheduledMessageId: row.id, error });
    }
  }
}

/** At worker start: arm every row still waiting (idempotent: the job id is the row and its time). */
export async function armWaitingScheduledMessages(db: Database, arm: ArmScheduledMessage, batchSize = 500): Promise<number> {
  const rows = await db
    .select({ id: scheduledMessages.id, shopId: scheduledMessages.shopId, dueAt: scheduledMessages.dueAt })
    .from(scheduledMessages)
    .where(inArray(scheduledMessages.status, [...WAITING_STATUSES]));
  for (let i = 0; i < rows.length; i += batchSize) {
    await Promise.all(rows.slice(i, i + batchSize).map((row) => arm(row)));
  }
  return rows.length;
}
