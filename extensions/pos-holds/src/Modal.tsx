/**
 * The holds at the counter: search by customer, phone, product or size; add a hold's items to the
 * cart for its customer; mark it picked up (the app releases the reservation so the units can be
 * sold at the register).
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { fetchHolds, HoldsApiError, markPickedUp, type PosHold, type PosHoldList } from "./holds-api";

const SEARCH_DELAY_MS = 300;

export default async () => {
  render(<HoldsModal />, document.body);
};

const t = (key: string, options?: Record<string, string | number>) => shopify.i18n.translate(key, options);

function errorMessage(error: unknown): string {
  const reason = error instanceof HoldsApiError ? error.reason : "unavailable";
  return t(`errors.${reason}`);
}

function customerName(hold: PosHold): string {
  const name = [hold.customer.firstName, hold.customer.lastName].filter(Boolean).join(" ");
  return name || hold.customer.phone || hold.customer.email || t("hold.unknownCustomer");
}

function HoldsModal() {
  const [search, setSearch] = useState("");
  const [list, setList] = useState<PosHoldList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      fetchHolds(shopify.session, search)
        .then((result) => {
          if (!current) return;
          setList(result);
          setError(null);
        })
        .catch((e: unknown) => current && setError(errorMessage(e)));
    }, search ? SEARCH_DELAY_MS : 0);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [search, reload]);

  return (
    <s-page heading={t("modal.heading")}>
      <s-scroll-box>
        <s-box padding="base">
          <s-stack gap="base">
            <s-search-field placeholder={t("modal.search")} value={search} onInput={(event) => setSearch(event.currentTarget.value ?? "")} />
            {error ? <s-banner tone="critical" heading={error} /> : null}
            {list === null && !error ? <s-spinner accessibilityLabel={t("modal.loading")} /> : null}
            {list && list.holds.length === 0 ? <s-empty-state heading={search ? t("modal.noMatch") : t("modal.empty")} /> : null}
          </s-stack>
        </s-box>
        {list?.holds.map((hold) => <HoldSection key={hold.id} hold={hold} onDone={() => setReload((n) => n + 1)} />)}
      </s-scroll-box>
    </s-page>
  );
}

function HoldSection({ hold, onDone }: { hold: PosHold; onDone: () => void }) {
  const [busy, setBusy] = useState<"cart" | "pickup" | null>(null);
  const deadline = shopify.i18n.formatDate(new Date(hold.expiresAt), { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

  // POS's cart API takes numeric ids; the customer first, so the sale is hers.
  // https://shopify.dev/docs/api/pos-ui-extensions/latest/target-apis/contextual-apis/cart-api
  const addToCart = async () => {
    setBusy("cart");
    try {
      if (hold.customer.shopifyCustomerNumericId !== null) await shopify.cart.setCustomer({ id: hold.customer.shopifyCustomerNumericId });
      for (const item of hold.items) {
        if (item.variantNumericId !== null) await shopify.cart.addLineItem(item.variantNumericId, item.quantity);
      }
      shopify.toast.show(t("toast.addedToCart", { count: hold.items.reduce((n, i) => n + i.quantity, 0) }));
    } catch {
      shopify.toast.show(t("errors.cart"));
    } finally {
      setBusy(null);
    }
  };

  const pickUp = async () => {
    setBusy("pickup");
    try {
      await markPickedUp(shopify.session, hold.id);
      shopify.toast.show(t("toast.pickedUp", { name: customerName(hold) }));
      onDone();
    } catch (e) {
      shopify.toast.show(errorMessage(e));
      setBusy(null);
    }
  };

  return (
    <s-section heading={customerName(hold)}>
      <s-stack gap="small">
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-text>{t("hold.deadline", { date: deadline })}</s-text>
          {hold.endsToday ? <s-badge tone="warning">{t("hold.endsToday")}</s-badge> : null}
        </s-stack>
        {hold.items.map((item) => (
          <s-text key={item.variantId} type="strong">
            {item.size ? t("hold.itemWithSize", { product: item.productTitle, size: item.size, count: item.quantity }) : t("hold.item", { product: item.productTitle, count: item.quantity })}
          </s-text>
        ))}
        {hold.customer.phone ? <s-text color="subdued">{hold.customer.phone}</s-text> : null}
        <s-stack direction="inline" gap="small">
          <s-button variant="primary" loading={busy === "cart"} disabled={busy !== null} onClick={() => void addToCart()}>
            {t("actions.addToCart")}
          </s-button>
          <s-button variant="secondary" loading={busy === "pickup"} disabled={busy !== null} onClick={() => void pickUp()}>
            {t("actions.pickedUp")}
          </s-button>
        </s-stack>
      </s-stack>
    </s-section>
  );
}
