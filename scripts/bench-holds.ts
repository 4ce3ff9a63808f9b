/**
 * `npm run bench:holds [racers]`: the hold race on the sandbox shop. `racers` (default 100)
 * concurrent `Holds.create` calls, each with its own idempotency key, for Robe Fleurie Bleue T38,
 * which has 2 units: exactly 2 holds must win and every other call must be a clear
 * `UnavailableError`. Before the race, one hold (available 2 → 1) and the two ways its unit comes
 * back: a cancel, and the deadline passing on the sandbox's manual clock; after it, the same again. Prints the counts and the time; exits non-zero if a count is wrong.
 */
import { performance } from "node:perf_hooks";
import { createManualClock } from "../app/lib/clock";
import { createShopifyHolds } from "../app/plugins/integrations/shopify/holds.server";
import { createShopifyInventory } from "../app/plugins/integrations/shopify/inventory.server";
import { UnavailableError } from "../app/plugins/types";
import { createSandboxShop } from "../app/sandbox/sandbox-shop.server";
import { loadDemoShopSeed } from "../app/sandbox/store.server";

const racers = Number(process.argv[2] ?? 100);
if (!Number.isInteger(racers) || racers < 1) throw new Error(`racers must be a positive integer, got ${process.argv[2]}`);

const seed = loadDemoShopSeed();
const clock = createManualClock(new Date(seed.now));
const shop = createSandboxShop({ seed, clock });
const admin = shop.adminClient();
const holds = createShopifyHolds({ admin });
const inventory = createShopifyInventory({ admin });

const variant = shop.store.variants.find((v) => v.sku === "RF-2847-38");
const customers = shop.store.customers;
if (!variant || customers.length === 0) throw new Error("the demo boutique has no RF-2847-38 or no customer");
const available = async (): Promise<number> => (await inventory.availability(variant.id)).available;

const HOUR = 3_600_000;
const customerId = customers[0]?.id ?? "";
const hold = (key: string, until: Date) =>
  holds.create({ customerId, lines: [{ variantId: variant.id, quantity: 1 }], expiresAt: until, idempotencyKey: key });

// One hold, then the two ways its unit comes back.
const initial = await available();
const cancelled = await hold("single-cancel", new Date(clock.now().getTime() + 24 * HOUR));
const withOneHold = await available();
await holds.cancel(cancelled.id);
const afterSingleCancel = await available();
await hold("single-deadline", new Date(clock.now().getTime() + 2 * HOUR));
const withSecondHold = await available();
clock.advance(2 * HOUR);
const afterSingleDeadline = await available();
console.log(`bench:holds — ${variant.sku} on the sandbox shop`);
console.log(`  one hold:             available ${initial} → ${withOneHold}; cancel → ${afterSingleCancel}`);
console.log(`  one hold (2 h):       available ${afterSingleCancel} → ${withSecondHold}; clock +2 h → ${afterSingleDeadline}`);

const expiresAt = new Date(clock.now().getTime() + 24 * HOUR);
const before = await available();

const started = performance.now();
const outcomes = await Promise.allSettled(
  Array.from({ length: racers }, (_, i) =>
    holds.create({
      customerId: customers[i % customers.length]?.id ?? "",
      lines: [{ variantId: variant.id, quantity: 1 }],
      expiresAt,
      idempotencyKey: `bench-${i}`,
    }),
  ),
);
const elapsedMs = performance.now() - started;

const held = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
const errors = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
const unavailable = errors.filter((e) => e instanceof UnavailableError);
const other = errors.filter((e) => !(e instanceof UnavailableError));
const afterRace = await available();

const [firstHold] = held;
if (firstHold) await holds.cancel(firstHold.id);
const afterCancel = await available();
clock.set(new Date(expiresAt.getTime() + 1000));
const afterDeadline = await available();

const expectedHolds = Math.min(racers, before);
console.log(`  race:                 ${racers} concurrent Holds.create, distinct idempotency keys, ${before} available`);
console.log(`  holds created:        ${held.length} (expected ${expectedHolds})`);
console.log(`  UnavailableError:     ${unavailable.length} (expected ${racers - expectedHolds})`);
console.log(`  other errors:         ${other.length}`);
console.log(`  time:                 ${elapsedMs.toFixed(0)} ms for the ${racers} calls (${(elapsedMs / racers).toFixed(2)} ms per call)`);
console.log(`  available:            ${before} before → ${afterRace} after the race → ${afterCancel} after one cancel → ${afterDeadline} after the deadline`);
if (unavailable[0] instanceof Error) console.log(`  a refusal reads:      ${unavailable[0].message}`);
for (const error of other.slice(0, 3)) console.log(`  unexpected:           ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);

const singleOk = withOneHold === initial - 1 && afterSingleCancel === initial && withSecondHold === initial - 1 && afterSingleDeadline === initial;
const ok = singleOk && held.length === expectedHolds && unavailable.length === racers - expectedHolds && other.length === 0 && afterRace === before - expectedHolds && afterDeadline === before;
console.log(ok ? "OK" : "FAILED");
process.exitCode = ok ? 0 : 1;
