/** Every job the workers run, by name. Adding a job: one file in jobs/ and one line here. */
import { conversationIntakeJob, type ConversationIntakeDeps } from "./conversation-intake.server";
import { conversationReplyJob } from "./conversation-reply.server";
import { scheduledSendJob, type ScheduledSendDeps } from "./scheduled-send.server";
import { shopifyWebhookJob } from "./shopify-webhook.server";
import { trackingWatchJob, type TrackingWatchPorts } from "./tracking-watch.server";
import type { JobDefinition } from "./queues.server";
import type { EngineDeps } from "~/conversation/engine.server";

/** What job handlers receive. */
export type JobDeps = EngineDeps &
  ConversationIntakeDeps & {
  /** tracking.watch: the shop's carrier and the delayed re-check. */
  trackingWatch: TrackingWatchPorts;
  /** scheduled.send: sends a due proactive message. */
  proactive?: ScheduledSendDeps["proactive"];
};

// Each definition is checked against JobDefinition where it is declared; the list only routes
// a job name to its definition, so the data type is erased here.
export const JOBS: ReadonlyArray<JobDefinition<never, JobDeps>> = [
  conversationReplyJob as JobDefinition<never, JobDeps>,
  conversationIntakeJob as JobDefinition<never, JobDeps>,
  shopifyWebhookJob as JobDefinition<never, JobDeps>,
  trackingWatchJob as JobDefinition<never, JobDeps>,
  scheduledSendJob as JobDefinition<never, JobDeps>,
];

export function findJob(name: string): JobDefinition<never, JobDeps> | undefined {
  return JOBS.find((job) => job.name === name);
}
