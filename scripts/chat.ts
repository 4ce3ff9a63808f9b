/**
 * `npm run chat -- --from +33645789012 --channel sms [--now 2026-01-12T10:15:00+01:00] [--subject …]`:
 * a conversation with the sandbox shop (Élégance Paris) on embedded defaults, in the terminal.
 * Each line typed is an inbound message through the same path as production (stored, then
 * `handleInboundMessage`); the reply is captured, never sent. Prints the reply and what the engine
 * understood, looked up, decided and did.
 *
 * Commands: /now <iso> moves the shop's clock, /holds lists the customer's active holds and
 * scheduled messages, /help, /quit. Works with stdin piped (one message per line).
 */
import readline from "node:readline";
import { parseArgs } from "node:util";
import type { ChannelKind } from "../app/plugins/types";
import { readUnderstood } from "./eval/read-record";
import { createSandboxHarness, type HarnessShop, type Turn } from "./eval/sandbox-harness";

const USAGE =
  "usage: npm run chat -- --from <E.164 phone | email> [--channel sms|whatsapp|email] [--now <ISO 8601>] [--subject <email subject>]";
const HELP = "commands: /now <ISO 8601 time> · /holds · /help · /quit";
const CHANNELS: readonly ChannelKind[] = ["sms", "whatsapp", "email"];
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

function badInput(message: string): never {
  console.error(`chat: ${message}\n${USAGE}`);
  process.exit(2);
}

let args: { from?: string; channel?: string; now?: string; subject?: string };
try {
  ({ values: args } = parseArgs({
    options: { from: { type: "string" }, channel: { type: "string" }, now: { type: "string" }, subject: { type: "string" } },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  badInput(error instanceof Error ? error.message : String(error));
}
const channel = (args.channel ?? "sms") as ChannelKind;
if (!CHANNELS.includes(channel)) badInput(`--channel must be one of ${CHANNELS.join(", ")}`);
const from = args.from ?? (channel === "email" ? "julie.mercier@gmail.com" : "+33645789012");
if (channel === "email" ? !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(from) : !/^\+[1-9]\d{6,14}$/.test(from)) {
  badInput(channel === "email" ? `--from must be an email address on email` : `--from must be an E.164 phone number on ${channel}`);
}
const parseInstant = (value: string) => (INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? new Date(value) : null);
const start = args.now === undefined ? undefined : (parseInstant(args.now) ?? badInput(`--now must be an ISO 8601 time with an offset`));
const subject = channel === "email" ? (args.subject ?? "Question") : undefined;

const harness = await createSandboxHarness(start ? { start } : {});
const shop = await harness.openShop("chat");
const interactive = Boolean(process.stdin.isTTY);
const timeZone = shop.timezone;
const showTime = (at: Date) =>
  `${at.toLocaleString("fr-FR", { timeZone, weekday: "short", day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit" })} (${timeZone})`;

console.log(`Élégance Paris sandbox — ${channel} from ${from}${subject ? ` (subject "${subject}")` : ""}, ${showTime(harness.clock.now())}`);
console.log(`${HELP}\n`);

let customerId: string | null = null;

function printTurn(turn: Turn, target: HarnessShop) {
  const understood = readUnderstood(turn.record, target.refs, turn.focus);
  if (turn.error) console.log(`  ! the engine threw: ${turn.error}`);
  console.log(turn.reply ? `shop> ${turn.reply.text.replace(/\n/g, "\n      ")}` : "shop> (no reply)");
  const record = turn.record;
  if (record) {
    const entities = [
      understood.product && `product ${understood.product}`,
      understood.size && `size ${understood.size}`,
      understood.quantity !== null && `quantity ${understood.quantity}`,
      understood.order && `order ${understood.order}`,
    ].filter(Boolean);
    console.log(
      `  understood: ${record.understanding.intent} (${record.understanding.confidence}) · ${record.understanding.language}` +
        (entities.length ? ` · ${entities.join(" · ")}` : ""),
    );
    for (const lookup of record.lookups) console.log(`  lookup: ${lookup.tool} ${JSON.stringify(lookup.output)} (${lookup.ms} ms)`);
    console.log(`  decision: ${record.decision.kind} — ${record.decision.reason}`);
    for (const action of record.actions) console.log(`  action: ${action.type} ${action.status} ${JSON.stringify(action.details)}`);
  }
  console.log(`  ${turn.escalated ? "escalated to the merchant · " : ""}${turn.latencyMs} ms\n`);
}

async function handle(line: string): Promise<boolean> {
  const text = line.trim();
  if (text === "") return true;
  if (!interactive) console.log(`you> ${text}`);
  if (text === "/quit" || text === "/exit") return false;
  if (text === "/help") {
    console.log(`${HELP}\n`);
    return true;
  }
  if (text.startsWith("/now")) {
    const at = parseInstant(text.slice(4).trim());
    if (!at) console.log("  /now takes an ISO 8601 time with an offset, e.g. /now 2026-01-13T16:30:00+01:00\n");
    else {
      harness.clock.set(at);
      console.log(`  clock: ${showTime(at)}\n`);
    }
    return true;
  }
  if (text === "/holds") {
    if (!customerId) console.log("  no holds (no message yet)\n");
    else {
      const state = await shop.customerState(customerId);
      if (state.reservations.length === 0) console.log("  no active holds");
      for (const r of state.reservations) {
        console.log(`  hold: ${r.product ?? "?"} ${r.size ?? ""} × ${r.quantity} until ${showTime(new Date(r.expiresAt))}`);
      }
      for (const s of state.scheduled) console.log(`  scheduled: ${s.type} at ${showTime(new Date(s.at))}${s.channel ? ` by ${s.channel}` : ""}`);
      console.log("");
    }
    return true;
  }
  if (text.startsWith("/")) {
    console.log(`  unknown command ${text.split(/\s/)[0]}; ${HELP}\n`);
    return true;
  }
  const turn = await shop.send({ channel, from, text, ...(subject !== undefined ? { subject } : {}) });
  customerId = turn.customerId;
  printTurn(turn, shop);
  return true;
}

const rl = readline.createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
rl.setPrompt("you> ");
if (interactive) rl.prompt();
try {
  for await (const line of rl) {
    if (!(await handle(line))) break;
    if (interactive) rl.prompt();
  }
} finally {
  rl.close();
  shop.dispose();
  await harness.close();
}
