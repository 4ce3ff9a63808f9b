/**
 * Rows for the holds' data tests (POS, holds page): a customer and a hold as the engine stores
 * them, draft order `gid://shopify/DraftOrder/<n>` named `#D<n>`, written at `at`.
 */
import { customers, holds, type HoldItem, type HoldStatus } from "../../db/schema";
import type { Database } from "~/db.server";

export async function insertCustomer(db: Database, at: Date, shopId: string, values: Partial<typeof customers.$inferInsert>): Promise<string> {
  const [row] = await db
    .insert(customers)
    .values({ shopId, createdAt: at, updatedAt: at, ...values })
    .returning();
  if (!row) throw new Error("no customer");
  return row.id;
}

export async function insertHold(
  db: Database,
  at: Date,
  hold: { shopId: string; customerId: string; draftOrder: number; items: HoldItem[]; expiresAt: string; status?: HoldStatus },
): Promise<string> {
  const [row] = await db
    .insert(holds)
    .values({
      shopId: hold.shopId,
      customerId: hold.customerId,
      draftOrderId: `gid://shopify/DraftOrder/${hold.draftOrder}`,
      draftOrderName: `#D${hold.draftOrder}`,
      status: hold.status ?? "active",
      items: hold.items,
      totalQuantity: hold.items.reduce((n, i) => n + i.quantity, 0),
      expiresAt: new Date(hold.expiresAt),
      idempotencyKey: `hold-${hold.draftOrder}`,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  if (!row) throw new Error("no hold");
  return row.id;
}
