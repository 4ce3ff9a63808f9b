/**
 * The `Orders` contract (app/plugins/types.ts), as one suite every provider of orders runs on two
 * shops of its own: `runOrdersContract("name", setup)` in `orders.contract.test.ts`, one line per
 * provider. The suite knows no vendor: the setup says which orders each shop holds and what they
 * must read as.
 */
import { describe, expect, it } from "vitest";
import type { OrderLine, Orders, ShopOrder } from "~/plugins/types";

export interface ExpectedOrder {
  /** "#2847". */
  name: string;
  customerId: string;
  email: string | null;
  financialStatus: string;
  createdAt: Date;
  total: { amount: string; currency: string };
  /** The lines as expected, without their provider ids (checked to exist). */
  lines: Array<Omit<OrderLine, "id">>;
}

export interface OrdersContractSubject {
  /** The first shop's orders. */
  orders: Orders;
  /** A delivered order with tracking: company, number, and when it was delivered. */
  delivered: ExpectedOrder & { tracking: { company: string; number: string; deliveredAt: Date } };
  /** An order on its way: tracking and an estimated delivery, not delivered yet. */
  inTransit: ExpectedOrder & { tracking: { company: string; number: string; estimatedDeliveryAt: Date } };
  /** An order not shipped yet. */
  unfulfilledName: string;
  /** A customer with several orders, and their names newest first. */
  repeatCustomer: { customerId: string; namesNewestFirst: string[] };
  /** A customer of the shop without orders. */
  customerWithoutOrders: string;
  /** A second shop: `onlyHere` exists in it and not in the first; the first's `delivered` is not in it. */
  otherShop: { orders: Orders; onlyHere: string };
  close(): Promise<void>;
}

export function runOrdersContract(name: string, setup: () => Promise<OrdersContractSubject>): void {
  describe(`Orders contract: ${name}`, () => {
    const withSubject = (test: (subject: OrdersContractSubject) => Promise<void>) => async () => {
      const subject = await setup();
      try {
        await test(subject);
      } finally {
        await subject.close();
      }
    };

    const expectOrder = (actual: ShopOrder | null, expected: ExpectedOrder) => {
      expect(actual).not.toBeNull();
      expect(actual).toMatchObject({
        name: expected.name,
        customerId: expected.customerId,
        email: expected.email,
        financialStatus: expected.financialStatus,
        total: expected.total,
      });
      expect(actual?.createdAt).toBeInstanceOf(Date);
      expect(actual?.createdAt.toISOString()).toBe(expected.createdAt.toISOString());
      expect(actual?.lines.map(({ id: _id, ...line }) => line)).toEqual(expected.lines);
      for (const line of actual?.lines ?? []) expect(line.id).toBeTruthy();
      expect(actual?.id).toEqual(expect.any(String));
    };

    it(
      "finds an order by its name, with or without #, with its lines and payment status",
      withSubject(async (s) => {
        const withHash = await s.orders.byName(s.delivered.name);
        expectOrder(withHash, s.delivered);
        const withoutHash = await s.orders.byName(s.delivered.name.replace(/^#/, ""));
        expect(withoutHash).toEqual(withHash);
      }),
    );

    it(
      "gives a delivered order's tracking and delivery date",
      withSubject(async (s) => {
        const order = await s.orders.byName(s.delivered.name);
        const shipped = order?.fulfillments.find((f) => f.trackingNumber === s.delivered.tracking.number);
        expect(shipped).toMatchObject({ trackingCompany: s.delivered.tracking.company, estimatedDeliveryAt: null });
        expect(shipped?.status).toEqual(expect.any(String));
        expect(shipped?.trackingUrl).toMatch(/^https:\/\//);
        expect(shipped?.deliveredAt?.toISOString()).toBe(s.delivered.tracking.deliveredAt.toISOString());
      }),
    );

    it(
      "gives an order in transit its estimated delivery and no delivery date",
      withSubject(async (s) => {
        const order = await s.orders.byName(s.inTransit.name);
        expectOrder(order, s.inTransit);
        const shipped = order?.fulfillments.find((f) => f.trackingNumber === s.inTransit.tracking.number);
        expect(shipped).toMatchObject({ trackingCompany: s.inTransit.tracking.company, deliveredAt: null });
        expect(shipped?.estimatedDeliveryAt?.toISOString()).toBe(s.inTransit.tracking.estimatedDeliveryAt.toISOString());
      }),
    );

    it(
      "gives an order not shipped yet no fulfilment",
      withSubject(async (s) => {
        const order = await s.orders.byName(s.unfulfilledName);
        expect(order?.name).toBe(s.unfulfilledName);
        expect(order?.fulfillments).toEqual([]);
      }),
    );

    it(
      "answers null for a name the shop does not have, or one that is not an order name",
      withSubject(async (s) => {
        for (const name of ["#999999", "999999", "", "#", "2847 OR name:2901", "*"]) {
          expect(await s.orders.byName(name), name).toBeNull();
        }
      }),
    );

    it(
      "lists a customer's orders newest first, and at most `limit`",
      withSubject(async (s) => {
        const all = await s.orders.byCustomer(s.repeatCustomer.customerId);
        expect(all.map((o) => o.name)).toEqual(s.repeatCustomer.namesNewestFirst);
        expect(all.every((o) => o.customerId === s.repeatCustomer.customerId)).toBe(true);
        const latest = await s.orders.byCustomer(s.repeatCustomer.customerId, 1);
        expect(latest.map((o) => o.name)).toEqual(s.repeatCustomer.namesNewestFirst.slice(0, 1));
        expect(await s.orders.byCustomer(s.customerWithoutOrders)).toEqual([]);
      }),
    );

    it(
      "sees only its own shop's orders",
      withSubject(async (s) => {
        expect(await s.orders.byName(s.otherShop.onlyHere)).toBeNull();
        expect((await s.otherShop.orders.byName(s.otherShop.onlyHere))?.name).toBe(s.otherShop.onlyHere);
        expect(await s.otherShop.orders.byName(s.delivered.name)).toBeNull();
      }),
    );
  });
}
