/** admin.order-details.block.render: the order page gives the order's gid; its customer is asked of Shopify. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { orderCustomerId } from "./order-customer";
import { Summary } from "./Summary";

export default async () => {
  render(<OrderSummary />, document.body);
};

function OrderSummary() {
  const orderId = shopify.data.selected[0]?.id;
  const [customerId, setCustomerId] = useState<string | null | undefined>(undefined);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!orderId) {
      setCustomerId(null);
      return;
    }
    orderCustomerId(shopify.query, orderId)
      .then(setCustomerId)
      .catch(() => setFailed(true));
  }, [orderId]);

  if (failed) {
    return (
      <s-admin-block heading={shopify.i18n.translate("block.heading")}>
        <s-banner tone="critical" heading={shopify.i18n.translate("block.failed")} />
      </s-admin-block>
    );
  }
  return <Summary api={shopify} customerId={customerId} />;
}
