/**
 * Contract suite for `Returns` (app/plugins/types.ts): every provider passes it on its own data,
 * described by the subject.
 */
import { describe, expect, it } from "vitest";
import { InvalidPayloadError, NotFoundError, type Returns } from "~/plugins/types";

export interface ReturnsSubject {
  returns: Returns;
  /** The same provider for another shop. */
  otherShopReturns: Returns;
  /** A fulfilled order with one line of quantity 1, and a variant to exchange it for. */
  order: { id: string; lineItemId: string };
  replacementVariantId: string;
  unknownOrderId: string;
}

export function runReturnsContract(name: string, setup: () => Promise<ReturnsSubject>) {
  describe(`Returns contract: ${name}`, () => {
    it("opens a return for a shipped line, and the same request twice is one return", async () => {
      const { returns, order } = await setup();
      const request = { orderId: order.id, lines: [{ lineItemId: order.lineItemId, quantity: 1, reason: "trop grand" }], idempotencyKey: "ret-1" };
      const first = await returns.request(request);
      const again = await returns.request(request);
      expect(first.id).toBeTruthy();
      expect(again.id).toBe(first.id);
    });

    it("opens an exchange with a replacement variant", async () => {
      const { returns, order, replacementVariantId } = await setup();
      const result = await returns.request({
        orderId: order.id,
        lines: [{ lineItemId: order.lineItemId, quantity: 1, reason: "taille" }],
        exchange: [{ variantId: replacementVariantId, quantity: 1 }],
        idempotencyKey: "exch-1",
      });
      expect(result.id).toBeTruthy();
      expect(result.status).toMatch(/OPEN|REQUESTED/);
    });

    it("refuses more units than were shipped, and an unknown order", async () => {
      const { returns, order, unknownOrderId } = await setup();
      await expect(
        returns.request({ orderId: order.id, lines: [{ lineItemId: order.lineItemId, quantity: 5, reason: "x" }], idempotencyKey: "too-many" }),
      ).rejects.toBeInstanceOf(InvalidPayloadError);
      await expect(
        returns.request({ orderId: unknownOrderId, lines: [{ lineItemId: order.lineItemId, quantity: 1, reason: "x" }], idempotencyKey: "unknown" }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it("cannot open a return on another shop's order", async () => {
      const { otherShopReturns, order } = await setup();
      await expect(
        otherShopReturns.request({ orderId: order.id, lines: [{ lineItemId: order.lineItemId, quantity: 1, reason: "x" }], idempotencyKey: "cross" }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
