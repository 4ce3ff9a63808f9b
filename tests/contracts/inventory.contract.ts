/**
 * Contract suite for `Inventory` and the read side of `Customers` (app/plugins/types.ts): every
 * commerce plugin that provides them passes it, on its own data set described by `expected`.
 */
import { describe, expect, it } from "vitest";
import { NotFoundError, type Customers, type Inventory } from "~/plugins/types";

export interface InventorySubject {
  inventory: Inventory;
  customers: Customers;
  /** Another shop of the same provider, to prove nothing crosses over. */
  other: { inventory: Inventory; mutate(variantId: string, available: number): Promise<void> };
  expected: {
    /** A product of the catalogue with its reference and sizes. */
    product: { title: string; ref: string; sizes: string[] };
    /** One of its variants and its live availability. */
    variant: { size: string; available: number; locationName: string };
    /** A customer of the shop. */
    customer: { phone: string; email: string; firstName: string };
    unknownVariantId: string;
  };
}

export function runInventoryContract(name: string, setup: () => Promise<InventorySubject>) {
  describe(`Inventory + Customers contract: ${name}`, () => {
    it("lists the catalogue with references, sizes and SKUs", async () => {
      const { inventory, expected } = await setup();
      const catalogue = await inventory.listCatalogue();
      const product = catalogue.find((p) => p.title === expected.product.title);
      expect(product, `catalogue has ${expected.product.title}`).toBeDefined();
      expect(product?.ref).toBe(expected.product.ref);
      expect(product?.variants.map((v) => v.size)).toEqual(expected.product.sizes);
      for (const v of product?.variants ?? []) expect(v.sku?.startsWith(expected.product.ref)).toBe(true);
    });

    it("gives live availability per location for a variant", async () => {
      const { inventory, expected } = await setup();
      const product = (await inventory.listCatalogue()).find((p) => p.title === expected.product.title);
      const variant = product?.variants.find((v) => v.size === expected.variant.size);
      if (!variant) throw new Error("variant missing from the catalogue");
      const availability = await inventory.availability(variant.id);
      expect(availability.variantId).toBe(variant.id);
      expect(availability.available).toBe(expected.variant.available);
      expect(availability.locations.map((l) => [l.locationName, l.available])).toContainEqual([expected.variant.locationName, expected.variant.available]);
      for (const l of availability.locations) expect(l.onHand).toBeGreaterThanOrEqual(l.available);
    });

    it("refuses an unknown variant with NotFoundError", async () => {
      const { inventory, expected } = await setup();
      await expect(inventory.availability(expected.unknownVariantId)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("does not see another shop's stock change", async () => {
      const { inventory, other, expected } = await setup();
      const product = (await inventory.listCatalogue()).find((p) => p.title === expected.product.title);
      const variant = product?.variants.find((v) => v.size === expected.variant.size);
      if (!variant) throw new Error("variant missing");
      await other.mutate(variant.id, 0);
      expect((await other.inventory.availability(variant.id)).available).toBe(0);
      expect((await inventory.availability(variant.id)).available).toBe(expected.variant.available);
    });

    it("finds a customer by E.164 phone and by email, and answers null for a stranger", async () => {
      const { customers, expected } = await setup();
      expect((await customers.findByPhone(expected.customer.phone))?.firstName).toBe(expected.customer.firstName);
      expect((await customers.findByEmail(expected.customer.email))?.firstName).toBe(expected.customer.firstName);
      expect(await customers.findByPhone("+33600000000")).toBeNull();
      expect(await customers.findByEmail("nobody@example.com")).toBeNull();
    });
  });
}
