#!/usr/bin/env node
/**
 * Checks the quality-evaluation corpus (eval/corpus/*.jsonl) against the case format of
 * ../shared/eval/FORMAT.md and the demo shop of ../shared/fixtures/demo-shop.json.
 *
 *   node eval/corpus/check.mjs [--shop path/to/demo-shop.json] [--quiet]
 *
 * Plain Node, no dependencies. Exits 1 on any problem and prints every problem found; prints the
 * counts per file, intent, language and channel either way.
 */
import { readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const shopArg = args.indexOf("--shop");
const shopPath = shopArg >= 0 ? resolve(args[shopArg + 1] ?? "") : resolve(here, "../../../shared/fixtures/demo-shop.json");
const quiet = args.includes("--quiet");

/** DESIGN §5 */
const INTENTS = [
  "product_availability", "product_info", "reservation_request", "confirm", "decline", "reservation_cancel",
  "order_status", "exchange_request", "return_request", "store_info", "styling_advice", "complaint",
  "human_request", "back_in_stock", "greeting", "opt_out", "other",
];
const ACTIONS = [
  "reservation.create", "reservation.extend", "reservation.cancel", "exchange.create", "return.create",
  "return_label.create", "tracking.watch", "reminder.schedule", "back_in_stock.subscribe", "consent.opt_out",
  "consent.opt_in", "notify.merchant",
];
const LANGUAGES = ["fr", "en"];
const CHANNELS = ["sms", "whatsapp", "email"];
/** FORMAT.md: the case keys, and the result fields (plus the scorer's own keys) that `expect` may use. */
const CASE_KEYS = ["id", "now", "channel", "from", "subject", "before", "text", "expect"];
const EXPECT_KEYS = [
  "intent", "language", "product", "size", "quantity", "order", "customerName", "replied", "escalated", "actions",
  "reservations", "scheduled", "replyIncludes", "replyExcludes", "forbidActions",
];
/** One file per theme; ids are `<prefix>-NNN`. */
const FILES = {
  "availability.jsonl": "av",
  "holds.jsonl": "ho",
  "orders.jsonl": "or",
  "exchanges-returns.jsonl": "xr",
  "store-info.jsonl": "si",
  "escalations.jsonl": "es",
  "back-in-stock.jsonl": "bs",
  "consent.jsonl": "co",
  "greetings-other.jsonl": "gr",
  "identity-safety.jsonl": "id",
  "email.jsonl": "em",
  "english.jsonl": "en",
};
const MIN_PER_INTENT = 12;
const MIN_CASES = 420;
/** The evaluation week: Sunday 11 to Sunday 18 January 2026 (Europe/Paris). */
const FIRST = Date.parse("2026-01-11T00:00:00+01:00");
const LAST = Date.parse("2026-01-19T00:00:00+01:00");

const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);

let shop;
try {
  shop = JSON.parse(readFileSync(shopPath, "utf8"));
} catch (error) {
  console.error(`cannot read the demo shop at ${shopPath}: ${error.message}`);
  process.exit(1);
}
/** ref -> Map(size -> stock) */
const catalogue = new Map(
  shop.products.map((p) => [p.ref, new Map(p.variants.map((v) => [v.size, v.stock]))]),
);
const allSizes = new Set(shop.products.flatMap((p) => p.variants.map((v) => v.size)));
const orderNames = new Set(shop.orders.map((o) => o.name));

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v) => typeof v === "string" && v.length > 0;
const isTime = (v) => typeof v === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v));

function checkVariant(where, product, size, { mustBeInStock = false, quantity = 1 } = {}) {
  const sizes = catalogue.get(product);
  if (!sizes) return problem(where, `unknown product ref ${JSON.stringify(product)}`);
  if (size === undefined || size === null) return;
  if (!sizes.has(size)) return problem(where, `product ${product} has no size ${JSON.stringify(size)} (has ${[...sizes.keys()].join(", ")})`);
  if (mustBeInStock && sizes.get(size) < quantity) {
    problem(where, `${product} ${size} has ${sizes.get(size)} in stock: a hold of ${quantity} cannot be expected`);
  }
}

function checkActionList(where, key, value) {
  if (!Array.isArray(value)) return problem(where, `${key} must be an array`);
  for (const a of value) if (!ACTIONS.includes(a)) problem(where, `${key}: unknown action type ${JSON.stringify(a)}`);
  if (new Set(value).size !== value.length) problem(where, `${key}: duplicate action type`);
}

function checkRegexList(where, key, value) {
  if (!Array.isArray(value) || value.length === 0) return problem(where, `${key} must be a non-empty array of regular expressions`);
  for (const r of value) {
    if (!isString(r)) { problem(where, `${key}: ${JSON.stringify(r)} is not a non-empty string`); continue; }
    try { new RegExp(r, "u"); } catch (error) { problem(where, `${key}: invalid regular expression ${JSON.stringify(r)}: ${error.message}`); }
  }
}

function checkExpect(where, c) {
  const e = c.expect;
  if (!isObject(e)) return problem(where, "expect must be an object");
  if (Object.keys(e).length === 0) problem(where, "expect is empty");
  for (const k of Object.keys(e)) if (!EXPECT_KEYS.includes(k)) problem(where, `expect: unknown key ${JSON.stringify(k)}`);

  if ("intent" in e) {
    const list = Array.isArray(e.intent) ? e.intent : [e.intent];
    if (list.length === 0) problem(where, "intent list is empty");
    for (const i of list) if (!INTENTS.includes(i)) problem(where, `unknown intent ${JSON.stringify(i)}`);
    if (new Set(list).size !== list.length) problem(where, "intent list has duplicates");
  }
  if ("language" in e && !LANGUAGES.includes(e.language)) problem(where, `language must be one of ${LANGUAGES.join(", ")}`);
  if ("product" in e && e.product !== null) checkVariant(where, e.product, e.size);
  if ("size" in e && e.size !== null) {
    if (!isString(e.size)) problem(where, "size must be a string as written in the catalogue, or null");
    else if (!("product" in e) && !allSizes.has(e.size)) problem(where, `size ${JSON.stringify(e.size)} exists for no product`);
    if (!e.product && e.size) problem(where, "size without product: say which product the size belongs to");
  }
  if ("quantity" in e && e.quantity !== null && !(Number.isInteger(e.quantity) && e.quantity > 0)) problem(where, "quantity must be a positive integer or null");
  if ("order" in e && e.order !== null) {
    if (typeof e.order !== "string" || !/^#\d+$/.test(e.order)) problem(where, `order must be an order name like "#2901", or null`);
    else if (!orderNames.has(e.order)) problem(where, `order ${e.order} is not in the demo shop`);
  }
  if ("customerName" in e && e.customerName !== null && !isString(e.customerName)) problem(where, "customerName must be a string or null");
  for (const k of ["replied", "escalated"]) if (k in e && typeof e[k] !== "boolean") problem(where, `${k} must be a boolean`);
  if ("actions" in e) checkActionList(where, "actions", e.actions);
  if ("forbidActions" in e) checkActionList(where, "forbidActions", e.forbidActions);
  if (Array.isArray(e.actions) && Array.isArray(e.forbidActions)) {
    for (const a of e.actions) if (e.forbidActions.includes(a)) problem(where, `action ${a} both expected and forbidden`);
  }
  if ("reservations" in e) {
    if (!Array.isArray(e.reservations)) problem(where, "reservations must be an array");
    else e.reservations.forEach((r, n) => {
      const w = `${where} reservations[${n}]`;
      if (!isObject(r)) return problem(w, "must be an object");
      for (const k of Object.keys(r)) if (!["product", "size", "quantity", "expiresAt"].includes(k)) problem(w, `unknown key ${JSON.stringify(k)}`);
      if (!isString(r.product)) return problem(w, "product is required");
      if ("quantity" in r && !(Number.isInteger(r.quantity) && r.quantity > 0)) problem(w, "quantity must be a positive integer");
      checkVariant(w, r.product, r.size, { mustBeInStock: true, quantity: r.quantity ?? 1 });
      if ("expiresAt" in r) {
        if (!isTime(r.expiresAt)) problem(w, "expiresAt must be an ISO 8601 time with an offset");
        else if (Date.parse(r.expiresAt) <= Date.parse(c.now)) problem(w, "expiresAt is not after now");
      }
    });
    if (Array.isArray(e.reservations) && e.reservations.length > 0 && (e.forbidActions ?? []).includes("reservation.create") && !(c.before ?? []).length) {
      problem(where, "a hold is expected although reservation.create is forbidden and nothing came before");
    }
  }
  if ("scheduled" in e) {
    if (!Array.isArray(e.scheduled)) problem(where, "scheduled must be an array");
    else e.scheduled.forEach((s, n) => {
      const w = `${where} scheduled[${n}]`;
      if (!isObject(s)) return problem(w, "must be an object");
      for (const k of Object.keys(s)) if (!["type", "at", "channel"].includes(k)) problem(w, `unknown key ${JSON.stringify(k)}`);
      if (!isString(s.type)) problem(w, "type is required");
      if ("at" in s) {
        if (!isTime(s.at)) problem(w, "at must be an ISO 8601 time with an offset");
        else if (Date.parse(s.at) <= Date.parse(c.now)) problem(w, "at is not after now");
      }
      if ("channel" in s && !CHANNELS.includes(s.channel)) problem(w, `channel must be one of ${CHANNELS.join(", ")}`);
    });
  }
  if ("replyIncludes" in e) checkRegexList(where, "replyIncludes", e.replyIncludes);
  if ("replyExcludes" in e) checkRegexList(where, "replyExcludes", e.replyExcludes);
  if (e.replied === false && "replyIncludes" in e) problem(where, "replyIncludes with replied: false");
}

function checkCase(where, c, prefix) {
  if (!isObject(c)) return problem(where, "not a JSON object");
  for (const k of Object.keys(c)) if (!CASE_KEYS.includes(k)) problem(where, `unknown key ${JSON.stringify(k)}`);
  for (const k of ["id", "now", "channel", "from", "text", "expect"]) if (!(k in c)) problem(where, `missing ${k}`);
  if (!isString(c.id) || !new RegExp(`^${prefix}-\\d{3}$`).test(c.id)) problem(where, `id ${JSON.stringify(c.id)} must be ${prefix}-NNN`);
  if (!isTime(c.now)) problem(where, "now must be an ISO 8601 time with an offset");
  else if (Date.parse(c.now) < FIRST || Date.parse(c.now) >= LAST) problem(where, `now ${c.now} is outside the evaluation week (11–18 Jan 2026)`);
  if (!CHANNELS.includes(c.channel)) problem(where, `channel must be one of ${CHANNELS.join(", ")}`);
  if (c.channel === "email") {
    if (typeof c.from !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.from)) problem(where, "from must be an email address on the email channel");
    if ("subject" in c && typeof c.subject !== "string") problem(where, "subject must be a string");
  } else {
    if (typeof c.from !== "string" || !/^\+[1-9]\d{7,14}$/.test(c.from)) problem(where, "from must be an E.164 phone number on sms and whatsapp");
    if ("subject" in c) problem(where, "subject is for email only");
  }
  if (!isString(c.text)) problem(where, "text must be a non-empty string");
  if ("before" in c) {
    if (!Array.isArray(c.before) || c.before.length === 0) problem(where, "before must be a non-empty array");
    else c.before.forEach((b, n) => {
      if (!isObject(b) || !isString(b.text) || Object.keys(b).length !== 1) problem(where, `before[${n}] must be { "text": "…" }`);
    });
  }
  checkExpect(where, c);
}

const files = readdirSync(here).filter((f) => f.endsWith(".jsonl")).sort();
const ids = new Map();
const count = { file: {}, intent: {}, intentAccepted: {}, language: {}, channel: {} };
const bump = (table, key) => { table[key] = (table[key] ?? 0) + 1; };
let total = 0;
let multiTurn = 0;

for (const expected of Object.keys(FILES)) if (!files.includes(expected)) problem(expected, "theme file missing");
for (const file of files) {
  const prefix = FILES[file];
  if (!prefix) { problem(file, `not a known theme file (${Object.keys(FILES).join(", ")})`); continue; }
  const lines = readFileSync(join(here, file), "utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((line, n) => {
    const where = `${basename(file)}:${n + 1}`;
    if (line.trim() === "") return problem(where, "empty line");
    let c;
    try { c = JSON.parse(line); } catch (error) { return problem(where, `invalid JSON: ${error.message}`); }
    const at = isObject(c) && isString(c.id) ? `${where} (${c.id})` : where;
    checkCase(at, c, prefix);
    if (!isObject(c)) return;
    if (ids.has(c.id)) problem(at, `duplicate id, first at ${ids.get(c.id)}`);
    ids.set(c.id, where);
    total += 1;
    bump(count.file, file);
    bump(count.channel, c.channel);
    if (Array.isArray(c.before)) multiTurn += 1;
    const e = isObject(c.expect) ? c.expect : {};
    const intents = e.intent === undefined ? [] : Array.isArray(e.intent) ? e.intent : [e.intent];
    bump(count.intent, intents[0] ?? "(unspecified)");
    for (const i of intents) bump(count.intentAccepted, i);
    bump(count.language, e.language ?? "(unspecified)");
  });
}

for (const i of INTENTS) {
  if ((count.intent[i] ?? 0) < MIN_PER_INTENT) problem("coverage", `intent ${i}: ${count.intent[i] ?? 0} cases name it first, fewer than ${MIN_PER_INTENT}`);
}
if (total < MIN_CASES) problem("coverage", `${total} cases, fewer than ${MIN_CASES}`);

if (!quiet) {
  const table = (title, t, order) => {
    console.log(`\n${title}`);
    const keys = order ?? Object.keys(t).sort((a, b) => t[b] - t[a] || a.localeCompare(b));
    for (const k of keys) console.log(`  ${k.padEnd(24)} ${String(t[k] ?? 0).padStart(4)}`);
  };
  console.log(`${total} cases in ${files.length} files (${multiTurn} multi-turn), demo shop ${shopPath}`);
  table("per file", count.file, Object.keys(FILES));
  table("per intent (first accepted intent)", count.intent, [...INTENTS, ...("(unspecified)" in count.intent ? ["(unspecified)"] : [])]);
  table("per intent (any accepted intent)", count.intentAccepted, INTENTS);
  table("per language", count.language);
  const fr = count.language.fr ?? 0;
  const en = count.language.en ?? 0;
  if (fr + en > 0) console.log(`  fr/en share            ${Math.round((100 * fr) / (fr + en))}% / ${Math.round((100 * en) / (fr + en))}%`);
  table("per channel", count.channel, CHANNELS);
}
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log("\ncorpus OK");
