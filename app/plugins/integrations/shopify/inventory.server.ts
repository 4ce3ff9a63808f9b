/**
 * Inventory capability on Shopify's Admin GraphQL API: the catalogue, and live quantities per
 * variant and location (`available`, `on_hand`, `reserved`, the names of Shopify's inventory states:
 * https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/manage-quantities-states).
 */
import type { Clock } from "~/lib/clock";
import { createTtlCache } from "~/lib/ttl-cache";
import type { AdminClient } from "./admin-client";
import {
  CATALOGUE_QUERY,
  PRODUCT_VARIANTS_PAGE_QUERY,
  type ProductVariantsPageQueryData,
  VARIANT_AVAILABILITY_QUERY,
  type CatalogueProductNode,
  type CatalogueQueryData,
  type CatalogueQueryVariables,
  type VariantAvailabilityQueryData,
  type VariantAvailabilityQueryVariables,
} from "./documents";
import { NotFoundError, type CatalogueProduct, type Inventory, type VariantAvailability } from "~/plugins/types";

const SIZE_OPTION = /^(taille|size|pointure|talla|gr(ö|oe)sse)$/i;
const COLOR_OPTION = /^(couleur|color|colour|coloris)$/i;
const COLOR_TAG = /^(couleur|color|colour):(.+)$/i;
/** Shopify adds this option to products that have no options of their own. */
const DEFAULT_OPTION = "Title";

/**
 * At most this many catalogue pages (20 products each: a page must stay under Shopify's
 * 1,000-point single-query cost, https://shopify.dev/docs/api/usage/limits#rate-limits).
 */
const MAX_CATALOGUE_PAGES = 50;

/**
 * The catalogue changes rarely and stock is never cached: a short-lived copy per shop. Replies
 * running side by side when it expires read it from Shopify once, not once each (up to 50 pages).
 */
export interface CatalogueCache {
  /** The shop's catalogue kept, else what `load` reads (one load for concurrent readers). */
  get(shopDomain: string, load: () => Promise<CatalogueProduct[]>): Promise<CatalogueProduct[]>;
}

export function createCatalogueCache(options: { clock: Clock; ttlMs: number }): CatalogueCache {
  return createTtlCache<CatalogueProduct[]>(options);
}

export function toCatalogueProduct(node: CatalogueProductNode): CatalogueProduct {
  const colorTag = node.tags.map((t) => t.match(COLOR_TAG)?.[2]?.trim()).find((c) => c);
  const variants = node.variants.nodes.map((v) => {
    const size = v.selectedOptions.find((o) => SIZE_OPTION.test(o.name))?.value ?? null;
    const color = v.selectedOptions.find((o) => COLOR_OPTION.test(o.name))?.value ?? colorTag ?? null;
    return { id: v.id, sku: v.sku || null, title: v.title, size, color, price: v.price };
  });
  return {
    id: node.id,
    title: node.title,
    ref: referenceFromSkus(variants),
    productType: node.productType,
    tags: node.tags.filter((t) => !COLOR_TAG.test(t)),
    color: colorTag ?? (variants.length > 0 && variants.every((v) => v.color === variants[0]?.color) ? (variants[0]?.color ?? null) : null),
    url: node.onlineStoreUrl,
    variants: variants.filter((v) => v.title !== DEFAULT_OPTION || v.sku !== null),
  };
}

/** The shop's reference: what the variants' SKUs share before the size ("RF-2847" of "RF-2847-38"). */
function referenceFromSkus(variants: Array<{ sku: string | null }>): string | null {
  const prefixes = new Set(
    variants.map((v) => v.sku).filter((s): s is string => Boolean(s)).map((sku) => sku.replace(/-[^-]+$/, "")),
  );
  if (prefixes.size !== 1) return null;
  const [prefix] = prefixes;
  return prefix ?? null;
}

async function remainingVariants(admin: AdminClient, node: CatalogueProductNode): Promise<CatalogueProductNode> {
  const variants = [...node.variants.nodes];
  let pageInfo = node.variants.pageInfo;
  while (pageInfo.hasNextPage) {
    const data: ProductVariantsPageQueryData = await admin.request<ProductVariantsPageQueryData>(PRODUCT_VARIANTS_PAGE_QUERY, {
      id: node.id,
      after: pageInfo.endCursor,
    });
    if (!data.product) break;
    variants.push(...data.product.variants.nodes);
    pageInfo = data.product.variants.pageInfo;
  }
  return { ...node, variants: { nodes: variants, pageInfo } };
}

export function createShopifyInventory(deps: { admin: AdminClient; cache?: CatalogueCache }): Inventory {
  const { admin } = deps;
  return {
    async listCatalogue() {
      const read = async () => {
        const products: CatalogueProduct[] = [];
        let after: string | null = null;
        for (let page = 0; page < MAX_CATALOGUE_PAGES; page++) {
          const variables: CatalogueQueryVariables = { after };
          const data: CatalogueQueryData = await admin.request<CatalogueQueryData>(CATALOGUE_QUERY, { ...variables });
          for (const node of data.products.nodes) products.push(toCatalogueProduct(await remainingVariants(admin, node)));
          if (!data.products.pageInfo.hasNextPage) break;
          after = data.products.pageInfo.endCursor;
        }
        return products;
      };
      return deps.cache ? deps.cache.get(admin.shopDomain, read) : read();
    },

    async availability(variantId) {
      const variables: VariantAvailabilityQueryVariables = { id: variantId };
      const data = await admin.request<VariantAvailabilityQueryData>(VARIANT_AVAILABILITY_QUERY, { ...variables });
      if (!data.productVariant) throw new NotFoundError(`no variant ${variantId} in ${admin.shopDomain}`);
      const locations = data.productVariant.inventoryItem.inventoryLevels.nodes.map((level) => {
        const q = (name: string) => level.quantities.find((x) => x.name === name)?.quantity ?? 0;
        return {
          locationId: level.location.id,
          locationName: level.location.name,
          available: q("available"),
          onHand: q("on_hand"),
          reserved: q("reserved"),
        };
      });
      const result: VariantAvailability = {
        variantId,
        inventoryItemId: data.productVariant.inventoryItem.id,
        available: locations.reduce((sum, l) => sum + Math.max(0, l.available), 0),
        locations,
      };
      return result;
    },
  };
}
