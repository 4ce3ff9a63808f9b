/**
 * The inbox: every conversation across channels, in tabs (Needs you / AI handled / All) with unread
 * badges, filters (channel, status, customer segment) and search. The query lives in the URL, so
 * the loader reads it and a live update (app.inbox.tsx) reloads the same view.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, EmptyState, IndexTable, InlineStack, Link, Page, Tabs, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { choiceFilters, cursorPagination, ListFilters } from "~/components/list-controls";
import { useListParams } from "~/components/use-list-params";
import type { TranslationKey } from "~/i18n";
import { formatWhen } from "~/i18n/format";
import { useLocale, useT } from "~/i18n/react";
import type { InboxCounts, InboxListItem } from "~/inbox/inbox.server";
import { INBOX_TABS, defaultTab, parseInboxQuery, type CHANNELS, type CONVERSATION_STATUSES, type CUSTOMER_SEGMENTS, type InboxTab } from "~/inbox/query";

const NO_COUNTS: InboxCounts = { needs_you: { conversations: 0, unread: 0 }, ai_handled: { conversations: 0, unread: 0 }, all: { conversations: 0, unread: 0 } };

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { inbox } = context.services;
  const query = parseInboxQuery(new URL(request.url).searchParams);
  const now = inbox.now().toISOString();
  const shop = await inbox.shop(session.shop);
  if (!shop) return { timeZone: "UTC", now, tab: query.tab ?? "all", counts: NO_COUNTS, items: [] as InboxListItem[], nextCursor: null };
  const counts = await inbox.counts(shop.id);
  const tab = query.tab ?? defaultTab(counts.needs_you.conversations);
  const list = await inbox.list(shop.id, { ...query, tab });
  return { timeZone: shop.timezone, now, tab, counts, items: list.items, nextCursor: list.nextCursor };
};

const TAB_LABEL: Record<InboxTab, TranslationKey> = { needs_you: "inbox.tabs.needsYou", ai_handled: "inbox.tabs.aiHandled", all: "inbox.tabs.all" };
const CHANNEL_LABEL = { sms: "channel.sms", whatsapp: "channel.whatsapp", email: "channel.email" } as const satisfies Record<(typeof CHANNELS)[number], TranslationKey>;
const STATUS_LABEL = {
  open: "conversationStatus.open",
  needs_merchant: "conversationStatus.needs_merchant",
  closed: "conversationStatus.closed",
} as const satisfies Record<(typeof CONVERSATION_STATUSES)[number], TranslationKey>;
const SEGMENT_LABEL = { vip: "segment.vip", new: "segment.new", returning: "segment.returning" } as const satisfies Record<(typeof CUSTOMER_SEGMENTS)[number], TranslationKey>;
type FilterKey = "channel" | "status" | "segment";
const FILTER_OPTIONS: Record<FilterKey, Record<string, TranslationKey>> = { channel: CHANNEL_LABEL, status: STATUS_LABEL, segment: SEGMENT_LABEL };
const FILTER_LABEL: Record<FilterKey, TranslationKey> = { channel: "inbox.filters.channel", status: "inbox.filters.status", segment: "inbox.filters.segment" };

export default function Inbox() {
  const { timeZone, now, tab, counts, items, nextCursor } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const list = useListParams<"tab" | FilterKey>();
  const { params, update, urlSearch } = list;

  const tabs = INBOX_TABS.map((id) => ({
    id,
    content: t(TAB_LABEL[id]),
    ...(counts[id].unread > 0 ? { badge: String(counts[id].unread) } : {}),
  }));
  const filterKeys: FilterKey[] = ["channel", "status", "segment"];
  const { filters, applied } = choiceFilters({ keys: filterKeys, options: FILTER_OPTIONS, labels: FILTER_LABEL, params, update, t });
  const filtered = applied.length > 0 || urlSearch !== "";
  const when = (iso: string) => formatWhen(iso, { t, locale, timeZone, now });

  const rows = items.map((item, index) => {
    const who = item.customer.name ?? item.customer.phone ?? item.customer.email ?? "?";
    const preview = item.lastMessage
      ? item.lastMessage.author === "merchant"
        ? t("inbox.row.fromYou", { text: item.lastMessage.body })
        : item.lastMessage.author === "ai"
          ? t("inbox.row.fromAi", { text: item.lastMessage.body })
          : item.lastMessage.body
      : "";
    return (
      <IndexTable.Row id={item.id} key={item.id} position={index}>
        <IndexTable.Cell>
          <InlineStack gap="200" blockAlign="center" wrap={false}>
            <Link url={`/app/inbox/${item.id}`} dataPrimaryLink monochrome removeUnderline>
              <Text as="span" fontWeight={item.unread > 0 ? "bold" : "regular"}>
                {who}
              </Text>
            </Link>
            {item.vip ? <Badge tone="magic">{t("segment.vip")}</Badge> : null}
          </InlineStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Badge>{t(CHANNEL_LABEL[item.channel])}</Badge>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Box maxWidth="28rem">
            <Text as="span" truncate tone={item.unread > 0 ? undefined : "subdued"} fontWeight={item.unread > 0 ? "semibold" : "regular"}>
              {preview}
            </Text>
          </Box>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <InlineStack gap="100" wrap={false}>
            {item.status === "needs_merchant" ? (
              <Badge tone={item.urgent ? "critical" : "warning"}>{item.urgent ? t("inbox.row.urgent") : t(STATUS_LABEL.needs_merchant)}</Badge>
            ) : (
              <Badge>{t(STATUS_LABEL[item.status])}</Badge>
            )}
            {item.aiPaused ? <Badge tone="info">{t("inbox.row.aiPaused")}</Badge> : null}
            {item.unread > 0 ? (
              <Badge tone="attention">{t(new Intl.PluralRules(locale).select(item.unread) === "one" ? "inbox.row.unread.one" : "inbox.row.unread.other", { count: item.unread })}</Badge>
            ) : null}
          </InlineStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Text as="span" tone="subdued" numeric>
            {when(item.lastMessageAt)}
          </Text>
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  return (
    <Page title={t("inbox.title")}>
      <TitleBar title={t("inbox.title")} />
      <Card padding="0">
        <Tabs tabs={tabs} selected={INBOX_TABS.indexOf(tab)} onSelect={(index) => update({ tab: INBOX_TABS[index] ?? null })} />
        <ListFilters list={list} keys={filterKeys} placeholder={t("inbox.search.placeholder")} filters={filters} applied={applied} loading={navigation.state === "loading"} />
        <div data-testid="inbox-list">
          <IndexTable
            resourceName={{ singular: t("inbox.resource.singular"), plural: t("inbox.resource.plural") }}
            itemCount={items.length}
            selectable={false}
            headings={[
              { title: t("inbox.columns.customer") },
              { title: t("inbox.columns.channel") },
              { title: t("inbox.columns.lastMessage") },
              { title: t("inbox.columns.status") },
              { title: t("inbox.columns.updated") },
            ]}
            emptyState={
              <EmptyState heading={t("inbox.empty.heading")} image="">
                <BlockStack gap="200">
                  <p>{filtered ? t("inbox.empty.filtered") : t("inbox.empty.text")}</p>
                </BlockStack>
              </EmptyState>
            }
            pagination={cursorPagination(nextCursor, params, update)}
          >
            {rows}
          </IndexTable>
        </div>
      </Card>
    </Page>
  );
}
