/**
 * Running cases through the engine: each case on a fresh sandbox shop of one shared in-memory
 * database, the clock at the case's `now`, its `before` messages processed fully first.
 */
import { performance } from "node:perf_hooks";
import type { EvalCase } from "./cases";
import { readUnderstood } from "./read-record";
import { createSandboxHarness, type SandboxHarness, type SandboxHarnessOptions } from "./sandbox-harness";
import { scoreCase, summarize, type CaseResult, type ScoredCase, type Summary } from "./score";

export interface RunOptions extends SandboxHarnessOptions {
  /** Called after each case, e.g. for a progress line. */
  onCase?: (scored: ScoredCase, index: number, total: number) => void;
}

export interface RunOutput {
  cases: CaseResult[];
  summary: Summary;
  scored: ScoredCase[];
}

/** One case on a fresh shop of `harness`; `index` makes the shop's domain (`case-<index>`). */
export async function runCase(harness: SandboxHarness, c: EvalCase, index: number): Promise<CaseResult> {
  const shop = await harness.openShop(`case-${index}`);
  try {
    const now = new Date(c.now);
    const send = (text: string) => shop.send({ channel: c.channel, from: c.from, text, ...(c.subject !== undefined ? { subject: c.subject } : {}) });
    // Earlier messages share the case's `now`; a millisecond apart so that they keep their order.
    // One the engine throws on is reported, and the case still runs: what follows is information.
    const errors: string[] = [];
    for (const [i, earlier] of c.before.entries()) {
      harness.clock.set(new Date(now.getTime() - (c.before.length - i)));
      const turn = await send(earlier.text);
      if (turn.error) errors.push(`before[${i}]: ${turn.error}`);
    }
    harness.clock.set(now);
    const turn = await send(c.text);
    if (turn.error) errors.push(turn.error);
    const state = await shop.customerState(turn.customerId);
    const understood = readUnderstood(turn.record, shop.refs, turn.focus);
    return {
      id: c.id,
      ...understood,
      customerName: state.customerName,
      replied: turn.reply !== null,
      escalated: turn.escalated,
      actions: turn.actions,
      reply: turn.reply?.text ?? null,
      reservations: state.reservations,
      scheduled: state.scheduled,
      latencyMs: turn.latencyMs,
      ...(errors.length > 0 ? { error: errors.join("; ") } : {}),
    };
  } catch (error) {
    return emptyResult(c.id, error instanceof Error ? error.message : String(error));
  } finally {
    shop.dispose();
  }
}

function emptyResult(id: string, error: string): CaseResult {
  return {
    id,
    intent: null,
    language: null,
    product: null,
    size: null,
    quantity: null,
    order: null,
    customerName: null,
    replied: false,
    escalated: false,
    actions: [],
    reply: null,
    reservations: [],
    scheduled: [],
    latencyMs: 0,
    error,
  };
}

export async function runCases(cases: readonly EvalCase[], options: RunOptions = {}): Promise<RunOutput> {
  const started = performance.now();
  const harness = await createSandboxHarness(options);
  const scored: ScoredCase[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const result = await runCase(harness, c, i + 1);
      const entry = { case: c, result, checks: scoreCase(c.expect, result) };
      scored.push(entry);
      options.onCase?.(entry, i, cases.length);
    }
  } finally {
    await harness.close();
  }
  const summary = summarize(scored, performance.now() - started);
  return { cases: scored.map((s) => s.result), summary, scored };
}
