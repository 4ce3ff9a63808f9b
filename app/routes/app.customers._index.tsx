/**
 * The customers list: everyone who has written to the shop, the most recently active first, with
 * the shop's figures on top (customers, active this week, VIP, opted out), search (name, phone,
 * email) and filters (channel, segment — the inbox's segments). The query lives in the URL.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, InlineStack, Link, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { choiceFilters, cursorPagination, ListFilters } from "~/components/list-controls";
import { StatCards } from "~/components/stat-cards";
import { useListParams } from "~/components/use-list-params";
import type { CustomerListItem, CustomerStats } from "~/customers/customers.server";
import { parseCustomerListQuery } from "~/customers/query";
import { intlLocale, type TranslationKey } from "~/i18n";
import { formatWhen } from "~/i18n/format";
import { useLocale, useT } from "~/i18n/react";
import type { CHANNELS, CUSTOMER_SEGMENTS } from "~/inbox/query";

const NO_STATS: CustomerStats = { customers: 0, activeThisWeek: 0, vip: 0, optedOut: 0 };

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { customers } = context.services;
  const query = parseCustomerListQuery(new URL(request.url).searchParams);
  const now = customers.now().toISOString();
  const shop = await customers.shop(session.shop);
  if (!shop) return { timeZone: "UTC", now, stats: NO_STATS, items: [] as CustomerListItem[], nextCursor: null };
  const [stats, list] = await Promise.all([customers.stats(shop.id), customers.list(shop.id, query)]);
  return { timeZone: shop.timezone, now, stats, items: list.items, nextCursor: list.nextCursor };
};

const CHANNEL_LABEL = { sms: "channel.sms", whatsapp: "channel.whatsapp", email: "channel.email" } as const satisfies Record<(typeof CHANNELS)[number], TranslationKey>;
const SEGMENT_LABEL = { vip: "segment.vip", new: "segment.new", returning: "segment.returning" } as const satisfies Record<(typeof CUSTOMER_SEGMENTS)[number], TranslationKey>;
type FilterKey = "channel" | "segment";
const FILTER_KEYS: FilterKey[] = ["channel", "segment"];
const FILTER_OPTIONS: Record<FilterKey, Record<string, TranslationKey>> = { channel: CHANNEL_LABEL, segment: SEGMENT_LABEL };
const FILTER_LABEL: Record<FilterKey, TranslationKey> = { channel: "customers.filters.channel", segment: "customers.filters.segment" };
const STAT_CARDS: Array<{ key: keyof CustomerStats; label: TranslationKey }> = [
  { key: "customers", label: "customers.stats.customers" },
  { key: "activeThisWeek", label: "customers.stats.activeThisWeek" },
  { key: "vip", label: "customers.stats.vip" },
  { key: "optedOut", label: "customers.stats.optedOut" },
];

export default function Customers() {
  const { timeZone, now, stats, items, nextCursor } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const list = useListParams<FilterKey>();
  const { params, update, urlSearch } = list;
  const number = new Intl.NumberFormat(intlLocale(locale));

  const { filters, applied } = choiceFilters({ keys: FILTER_KEYS, options: FILTER_OPTIONS, labels: FILTER_LABEL, params, update, t });
  const filtered = applied.length > 0 || urlSearch !== "";

  const rows = items.map((item, index) => {
    const who = item.customer.name ?? item.customer.phone ?? item.customer.email ?? "?";
    const contact = [item.customer.phone, item.customer.email].filter((v): v is string => Boolean(v) && v !== who).join(" · ");
    return (
      <IndexTable.Row id={item.customer.id} key={item.customer.id} position={index}>
        <IndexTable.Cell>
          <BlockStack gap="050">
            <Link url={`/app/customers/${item.customer.id}`} dataPrimaryLink monochrome removeUnderline>
              <Text as="span" fontWeight="semibold">
                {who}
              </Text>
            </Link>
            {contact ? (
              <Text as="span" variant="bodySm" tone="subdued">
                {contact}
              </Text>
            ) : null}
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <InlineStack gap="100" wrap={false}>
            {item.channels.map((channel) => (
              <Badge key={channel}>{t(CHANNEL_LABEL[channel])}</Badge>
            ))}
          </InlineStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <InlineStack gap="100" wrap={false}>
            {item.segments.map((segment) => (
              <Badge key={segment} tone={segment === "vip" ? "magic" : undefined}>
                {t(SEGMENT_LABEL[segment])}
              </Badge>
            ))}
            {item.optedOut ? <Badge tone="critical">{t("customers.row.optedOut")}</Badge> : null}
          </InlineStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Text as="span" numeric>
            {number.format(item.conversations)}
          </Text>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Text as="span" tone="subdued" numeric>
            {formatWhen(item.lastMessageAt, { t, locale, timeZone, now })}
          </Text>
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  return (
    <Page title={t("customers.title")} subtitle={t("customers.subtitle")}>
      <TitleBar title={t("customers.title")} />
      <BlockStack gap="400">
        <StatCards testId="customer-stats" cards={STAT_CARDS.map(({ key, label }) => ({ key, label: t(label), value: number.format(stats[key]) }))} />
        <Card padding="0">
          <ListFilters list={list} keys={FILTER_KEYS} placeholder={t("customers.search.placeholder")} filters={filters} applied={applied} loading={navigation.state === "loading"} />
          <div data-testid="customer-list">
            <IndexTable
              resourceName={{ singular: t("customers.resource.singular"), plural: t("customers.resource.plural") }}
              itemCount={items.length}
              selectable={false}
              headings={[
                { title: t("customers.columns.customer") },
                { title: t("customers.columns.channels") },
                { title: t("customers.columns.segment") },
                { title: t("customers.columns.conversations"), alignment: "end" },
                { title: t("customers.columns.lastContact") },
              ]}
              emptyState={
                <EmptyState heading={t("customers.empty.heading")} image="">
                  <p>{filtered ? t("customers.empty.filtered") : t("customers.empty.text")}</p>
                </EmptyState>
              }
              pagination={cursorPagination(nextCursor, params, update)}
            >
              {rows}
            </IndexTable>
          </div>
        </Card>
      </BlockStack>
    </Page>
  );
}
