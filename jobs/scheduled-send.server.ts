/**
 * `scheduled.send`: a scheduled message's delayed job fired (app/messaging/scheduling.server.ts).
 * It re-reads the row — moved, cancelled or already sent since it was armed: nothing to do — then
 * lets the proactive sender decide and send (channel, quiet hours, consent, template), and writes
 * the outcome on the row with its reasons. A deferral moves the row and arms a new job.
 */
import { and, eq } from "drizzle-orm";
import { scheduledMessages } from "../db/schema";
import type { Database } from "~/db.server";
import type { Clock } from "~/lib/clock";
import type { Logger } from "~/lib/logger.server";
import type { ProactiveOutcome } from "~/messaging/proactive.server";
import { WAITING_STATUSES, type ArmScheduledMessage } from "~/messaging/scheduling.server";
import { QUEUE_NAMES, type JobDefinition } from "./queues.server";

export type ScheduledMessageRow = typeof scheduledMessages.$inferSelect;

export interface ScheduledSendData {
  shopId: string;
  scheduledMessageId: string;
  /** The due time the job was armed for (ISO 8601). */
  dueAt: string;
}

/** Sends one due scheduled message (app/messaging/proactive.server.ts). */
export interface ProactiveSender {
  send(row: ScheduledMessageRow): Promise<ProactiveOutcome>;
}

export interface ScheduledSendDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Optional in the workers' shared deps until the services wire it; the job fails without it. */
  proactive?: ProactiveSender;
  armScheduledMessage?: ArmScheduledMessage;
}

const STATUS_OF = { sent: "sent", deferred: "deferred", cancelled: "cancelled", refused: "failed" } as const;

export const scheduledSendJob: JobDefinition<ScheduledSendData, ScheduledSendDeps> = {
  name: "scheduled.send",
  queue: QUEUE_NAMES.scheduled,
  options: {
    // Provider 5xx/timeouts throw from the sender and are retried; the message id keeps it one send.
    attempts: 5,
    backoff: { type: "exponential", delay: 5_000 },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  async handle(data, deps) {
    await sendScheduledMessage(deps, data);
  },
};

export type ScheduledSendResult = { outcome: "skipped"; reason: string } | { outcome: ProactiveOutcome["kind"] };

export async function sendScheduledMessage(deps: ScheduledSendDeps, data: ScheduledSendData): Promise<ScheduledSendResult> {
  if (!deps.proactive) throw new Error("scheduled.send needs deps.proactive");
  const { db, clock } = deps;
  const log = deps.logger.child({ job: "scheduled.send", scheduledMessageId: data.scheduledMessageId });
  const [row] = await db
    .select()
    .from(scheduledMessages)
    .where(and(eq(scheduledMessages.id, data.scheduledMessageId), eq(scheduledMessages.shopId, data.shopId)))
    .limit(1);
  if (!row) return { outcome: "skipped", reason: "no such scheduled message in this shop" };
  if (!(WAITING_STATUSES as readonly string[]).includes(row.status)) return { outcome: "skipped", reason: `already ${row.status}` };
  if (row.dueAt.getTime() !== Date.parse(data.dueAt)) return { outcome: "skipped", reason: "moved since this job was armed" };
  if (row.dueAt.getTime() > clock.now().getTime() + 1000) {
    // Fired early (the clock of whoever armed it differs): wait for the row's own time.
    await deps.armScheduledMessage?.({ id: row.id, shopId: row.shopId, dueAt: row.dueAt });
    return { outcome: "skipped", reason: "not due yet: armed again" };
  }

  const outcome = await deps.proactive.send(row);
  const now = clock.now();
  const decision = { at: now.toISOString(), outcome: outcome.kind, reasons: outcome.reasons, ...(outcome.kind === "sent" ? { messageId: outcome.messageId, channel: outcome.channel } : {}) };
  const dueAt = outcome.kind === "deferred" ? outcome.until : row.dueAt;
  await db
    .update(scheduledMessages)
    .set({ status: STATUS_OF[outcome.kind], dueAt, payload: { ...row.payload, decision }, updatedAt: now })
    .where(and(eq(scheduledMessages.id, row.id), eq(scheduledMessages.shopId, row.shopId)));
  if (outcome.kind === "deferred") await deps.armScheduledMessage?.({ id: row.id, shopId: row.shopId, dueAt });
  log.info("scheduled message", { type: row.type, ...decision });
  return { outcome: outcome.kind };
}
