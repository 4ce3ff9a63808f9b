/**
 * The `Holds` contract (app/plugins/types.ts), as one suite every provider of holds runs:
 * `runHoldsContract("name", setup)` in `holds.contract.test.ts`, one line per provider. The suite
 * knows nothing about any vendor: it sees holds through the capability and stock through
 * `available(variantId)`, and moves time with the subject's clock.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotFoundError, UnavailableError, type Holds, type ProviderHold } from "~/plugins/types";

export interface HoldsContractShop {
  holds: Holds;
  /** Units of the variant that can be sold now in this shop. */
  available(variantId: string): Promise<number>;
}

export interface HoldsContractSubject extends HoldsContractShop {
  /** A customer of the shop, and another one. */
  customerId: string;
  otherCustomerId: string;
  /** A variant with exactly `units` available (at least 2), and no hold on it yet. */
  variant: { id: string; units: number };
  /** A hold id of the provider's form that names no hold. */
  unknownHoldId: string;
  /** A second shop of the same provider, with the same catalogue and customers' ids. */
  otherShop: HoldsContractShop;
  /** The shops' time, and a way to move it (the provider's reservations follow it). */
  now(): Date;
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface HoldsContractOptions {
  /** Concurrent holds in the race test (distinct idempotency keys), for `variant.units` units. */
  racers?: number;
}

const HOUR = 3_600_000;

export function runHoldsContract(name: string, setup: () => Promise<HoldsContractSubject>, options: HoldsContractOptions = {}): void {
  const racers = options.racers ?? 100;

  describe(`Holds contract: ${name}`, () => {
    let s: HoldsContractSubject;
    let keyCount = 0;

    beforeEach(async () => {
      s = await setup();
      expect(s.variant.units).toBeGreaterThanOrEqual(2);
      expect(await s.available(s.variant.id)).toBe(s.variant.units);
    });

    afterEach(async () => {
      await s.close();
    });

    const key = (): string => `contract-${name}-${(keyCount += 1)}`;
    const inHours = (hours: number): Date => new Date(s.now().getTime() + hours * HOUR);
    const hold = (overrides: { quantity?: number; expiresAt?: Date; idempotencyKey?: string; customerId?: string } = {}): Promise<ProviderHold> =>
      s.holds.create({
        customerId: overrides.customerId ?? s.customerId,
        lines: [{ variantId: s.variant.id, quantity: overrides.quantity ?? 1 }],
        expiresAt: overrides.expiresAt ?? inHours(24),
        idempotencyKey: overrides.idempotencyKey ?? key(),
        note: "contract",
      });
    /** Deadlines travel at whole seconds (Shopify's DateTime). */
    const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

    it("create reserves the units for the customer until the deadline", async () => {
      const expiresAt = inHours(24);
      const created = await hold({ expiresAt });
      expect(created).toMatchObject({
        customerId: s.customerId,
        status: "open",
        orderId: null,
        lines: [{ variantId: s.variant.id, quantity: 1 }],
      });
      expect(created.id).not.toBe("");
      expect(seconds(created.expiresAt)).toBe(seconds(expiresAt));
      expect(await s.available(s.variant.id)).toBe(s.variant.units - 1);
    });

    it("gives the units back when the deadline passes", async () => {
      await hold({ expiresAt: inHours(2) });
      s.advance(2 * HOUR - 60_000);
      expect(await s.available(s.variant.id)).toBe(s.variant.units - 1);
      s.advance(60_000);
      expect(await s.available(s.variant.id)).toBe(s.variant.units);
    });

    it("the same idempotency key is one hold, sequential or concurrent", async () => {
      const first = await hold({ idempotencyKey: "same-key" });
      const again = await hold({ idempotencyKey: "same-key" });
      expect(again.id).toBe(first.id);
      const [a, b] = await Promise.all([hold({ idempotencyKey: "racing-key" }), hold({ idempotencyKey: "racing-key" })]);
      expect(a.id).toBe(b.id);
      expect(a.id).not.toBe(first.id);
      expect(await s.available(s.variant.id)).toBe(s.variant.units - 2);
      expect((await s.holds.listByCustomer(s.customerId)).map((h) => h.id).sort()).toEqual([first.id, a.id].sort());
    });

    it("listByCustomer gives the customer's open holds, not another customer's", async () => {
      const mine = await hold();
      const theirs = await hold({ customerId: s.otherCustomerId });
      expect((await s.holds.listByCustomer(s.customerId)).map((h) => h.id)).toEqual([mine.id]);
      expect((await s.holds.listByCustomer(s.otherCustomerId)).map((h) => h.id)).toEqual([theirs.id]);
      const [listed] = await s.holds.listByCustomer(s.customerId);
      expect(listed).toMatchObject({ id: mine.id, status: "open", customerId: s.customerId, lines: [{ variantId: s.variant.id, quantity: 1 }] });
    });

    it("extend moves the deadline: the units stay held past the old one, until the new one", async () => {
      const created = await hold({ expiresAt: inHours(2) });
      const later = inHours(6);
      const extended = await s.holds.extend(created.id, later);
      expect(extended.id).toBe(created.id);
      expect(seconds(extended.expiresAt)).toBe(seconds(later));
      s.advance(3 * HOUR);
      expect(await s.available(s.variant.id)).toBe(s.variant.units - 1);
      s.advance(3 * HOUR);
      expect(await s.available(s.variant.id)).toBe(s.variant.units);
    });

    it("cancel releases the units now; cancelling twice is not an error", async () => {
      const created = await hold();
      await s.holds.cancel(created.id);
      expect(await s.available(s.variant.id)).toBe(s.variant.units);
      expect(await s.holds.listByCustomer(s.customerId)).toEqual([]);
      await expect(s.holds.cancel(created.id)).resolves.toBeUndefined();
    });

    it("complete turns the hold into an order; the units stay sold after the deadline", async () => {
      const created = await hold({ expiresAt: inHours(2) });
      const completed = await s.holds.complete(created.id);
      expect(completed).toMatchObject({ id: created.id, status: "completed" });
      expect(completed.orderId).toEqual(expect.any(String));
      expect(await s.holds.listByCustomer(s.customerId)).toEqual([]);
      s.advance(3 * HOUR);
      expect(await s.available(s.variant.id)).toBe(s.variant.units - 1);
      // Completing again answers the same order.
      expect((await s.holds.complete(created.id)).orderId).toBe(completed.orderId);
    });

    it("complete with payment pending gives an order too", async () => {
      const created = await hold();
      const completed = await s.holds.complete(created.id, { paymentPending: true });
      expect(completed).toMatchObject({ status: "completed", orderId: expect.any(String) });
    });

    it("a hold for more units than are available is UnavailableError and holds nothing", async () => {
      await expect(hold({ quantity: s.variant.units + 1 })).rejects.toBeInstanceOf(UnavailableError);
      expect(await s.available(s.variant.id)).toBe(s.variant.units);
      expect(await s.holds.listByCustomer(s.customerId)).toEqual([]);
    });

    it(`${racers} racing holds (distinct keys) for the last units: exactly that many win, the others are UnavailableError`, async () => {
      const outcomes = await Promise.allSettled(Array.from({ length: racers }, () => hold()));
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
      expect(won).toHaveLength(s.variant.units);
      expect(lost).toHaveLength(racers - s.variant.units);
      for (const reason of lost) expect(reason).toBeInstanceOf(UnavailableError);
      expect(await s.available(s.variant.id)).toBe(0);
      expect(await s.holds.listByCustomer(s.customerId)).toHaveLength(s.variant.units);
    });

    it("extend and complete of an unknown hold are NotFoundError", async () => {
      await expect(s.holds.extend(s.unknownHoldId, inHours(1))).rejects.toBeInstanceOf(NotFoundError);
      await expect(s.holds.complete(s.unknownHoldId)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("a hold in one shop never shows in the other", async () => {
      const created = await hold();
      expect(await s.otherShop.holds.listByCustomer(s.customerId)).toEqual([]);
      expect(await s.otherShop.available(s.variant.id)).toBe(s.variant.units);
      // The other shop cannot act on it either.
      await expect(s.otherShop.holds.extend(created.id, inHours(48))).rejects.toBeInstanceOf(NotFoundError);
      await s.otherShop.holds.cancel(created.id);
      expect(await s.available(s.variant.id)).toBe(s.variant.units - 1);
    });
  });
}
