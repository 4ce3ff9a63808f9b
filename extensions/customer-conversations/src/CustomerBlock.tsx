/** admin.customer-details.block.render: the customer's page gives her gid. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { Summary } from "./Summary";

export default async () => {
  render(<Summary api={shopify} customerId={shopify.data.selected[0]?.id ?? null} />, document.body);
};
