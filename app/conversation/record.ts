/**
 * What the engine records on each inbound message: the four steps, what each looked up or did,
 * and how long it took. The inbox shows it to the merchant; the evaluation reads it.
 */
export type Intent =
  | "product_availability"
  | "product_info"
  | "reservation_request"
  | "confirm"
  | "decline"
  | "reservation_cancel"
  | "order_status"
  | "exchange_request"
  | "return_request"
  | "store_info"
  | "styling_advice"
  | "complaint"
  | "human_request"
  | "back_in_stock"
  | "greeting"
  | "opt_out"
  | "other";

export type ActionType =
  | "reservation.create"
  | "reservation.extend"
  | "reservation.cancel"
  | "exchange.create"
  | "return.create"
  | "return_label.create"
  | "tracking.watch"
  | "reminder.schedule"
  | "back_in_stock.subscribe"
  | "consent.opt_out"
  | "consent.opt_in"
  | "notify.merchant";

export interface Lookup {
  /** Capability and method, e.g. "inventory.availability". */
  tool: string;
  input: Record<string, unknown>;
  /** The facts the tool returned that the reply may use. */
  output: Record<string, unknown>;
  ms: number;
}

export interface ActionRecord {
  type: ActionType;
  status: "done" | "failed" | "skipped";
  details: Record<string, unknown>;
}

export interface MessageRecord {
  understanding: {
    language: string;
    intent: Intent;
    confidence: number;
    entities: Record<string, unknown>;
  };
  lookups: Lookup[];
  decision: { kind: "answer" | "act" | "ask" | "escalate"; reason: string };
  actions: ActionRecord[];
  reply: { template: string; language: string } | null;
  timings: { understandMs: number; decideMs: number; actMs: number; replyMs: number; totalMs: number };
}
