/**
 * The holds: what Coccinelle put aside for customers, in tabs (active / picked up / expired /
 * cancelled) with counts, searchable by customer or product, each with its Shopify draft order, and
 * Sarah's actions on an active hold — extend, cancel, picked up. A refused action says why in a
 * banner and changes nothing; the new deadline she typed stays in the field.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptyState, IndexTable, InlineStack, Layout, Link, Page, Tabs, Text, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useRef, useState } from "react";
import { ListFilters } from "~/components/list-controls";
import { useListParams } from "~/components/use-list-params";
import { useRefreshAfter } from "~/components/use-refresh-after";
import type { TranslationKey } from "~/i18n";
import { formatWhen, type WhenFormatting } from "~/i18n/format";
import { useLocale, useT } from "~/i18n/react";
import type { HoldActionError, HoldActionResult, HoldCounts, HoldListItem } from "~/holds/holds-page.server";
import { HOLD_TABS, parseHoldsQuery, type HoldTab } from "~/holds/page-query";
import { holdsRefreshDelay } from "~/holds/page-refresh";
import { toLocalDateTime } from "~/lib/local-date-time";

const NO_COUNTS: HoldCounts = { active: 0, completed: 0, expired: 0, cancelled: 0 };

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { holdsPage } = context.services;
  const query = parseHoldsQuery(new URL(request.url).searchParams);
  const now = holdsPage.now().toISOString();
  const shop = await holdsPage.shop(session.shop);
  if (!shop) return { timeZone: "UTC", now, tab: query.tab, counts: NO_COUNTS, holds: [] as HoldListItem[] };
  const [counts, holds] = await Promise.all([holdsPage.counts(shop.id), holdsPage.list(shop, query)]);
  return { timeZone: shop.timezone, now, tab: query.tab, counts, holds };
};

type ActionData = { intent: "extend" | "cancel" | "pickUp"; holdId: string; result: HoldActionResult };

export const action = async ({ request, context }: ActionFunctionArgs): Promise<ActionData | null> => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { holdsPage } = context.services;
  const shop = await holdsPage.shop(session.shop);
  const form = await request.formData();
  const intent = form.get("intent");
  const holdId = String(form.get("holdId") ?? "");
  if (!shop) return null;
  if (intent === "extend") return { intent, holdId, result: await holdsPage.extend(shop, holdId, String(form.get("deadline") ?? "")) };
  if (intent === "cancel") return { intent, holdId, result: await holdsPage.cancel(shop, holdId) };
  if (intent === "pickUp") return { intent, holdId, result: await holdsPage.pickUp(shop, holdId) };
  return null;
};

const TAB_LABEL: Record<HoldTab, TranslationKey> = {
  active: "holds.tabs.active",
  completed: "holds.tabs.completed",
  expired: "holds.tabs.expired",
  cancelled: "holds.tabs.cancelled",
};
const STATUS: Record<HoldTab, { label: TranslationKey; tone?: "success" | "critical" | "attention" | "info" }> = {
  active: { label: "holds.status.active", tone: "info" },
  completed: { label: "holds.status.completed", tone: "success" },
  expired: { label: "holds.status.expired", tone: "attention" },
  cancelled: { label: "holds.status.cancelled" },
};
const ERROR_TEXT: Record<Exclude<HoldActionError, "not_active" | "refused" | "deadline_too_late">, TranslationKey> = {
  not_found: "holds.errors.not_found",
  deadline_invalid: "holds.errors.deadline_invalid",
  deadline_past: "holds.errors.deadline_past",
  gone: "holds.errors.gone",
};

function customerName(hold: HoldListItem): string {
  return hold.customer.name ?? hold.customer.phone ?? hold.customer.email ?? "?";
}

/** The banner after an action: what was done, or why nothing was. */
function outcomeText(data: ActionData, f: WhenFormatting): { tone: "success" | "critical"; lines: string[] } {
  const { t } = f;
  const r = data.result;
  if (r.ok) {
    const first =
      data.intent === "extend"
        ? t("holds.done.extended", { when: formatWhen(r.hold.expiresAt, f) })
        : t(data.intent === "cancel" ? "holds.done.cancelled" : "holds.done.pickedUp");
    const stock = r.available.map((a) => t("holds.done.available", { product: a.size ? `${a.productTitle} (${a.size})` : a.productTitle, available: a.available }));
    return { tone: "success", lines: [first, ...stock] };
  }
  const latest = r.latestDeadline ? formatWhen(r.latestDeadline, f) : "";
  const error =
    r.error === "not_active"
      ? t("holds.errors.not_active", { status: t(STATUS[r.status ?? "cancelled"].label) })
      : r.error === "refused"
        ? t("holds.errors.refused", { message: r.message ?? "?" })
        : r.error === "deadline_too_late"
          ? t("holds.errors.deadline_too_late", { latest })
          : t(ERROR_TEXT[r.error]);
  return { tone: "critical", lines: [error] };
}

export default function HoldsPage() {
  const { timeZone, now, tab, counts, holds } = useLoaderData<typeof loader>();
  useRefreshAfter(holdsRefreshDelay(holds, now));
  const t = useT();
  const locale = useLocale();
  const shopify = useAppBridge();
  const navigation = useNavigation();
  const fetcher = useFetcher<typeof action>();
  const list = useListParams<"tab">();
  const { update, urlSearch } = list;
  /** The hold she is extending or about to cancel, and the deadline she is typing. */
  const [pending, setPending] = useState<{ intent: "extend" | "cancel"; holdId: string } | null>(null);
  const [deadline, setDeadline] = useState("");
  const formatting: WhenFormatting = { t, locale, timeZone, now };

  // A done action closes its panel and is said in a toast; a refused one keeps the panel and its value.
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const toasted = useRef<ActionData | null>(null);
  useEffect(() => {
    // The page's data reloads after an action (a new `now`): the toast is said once per result.
    if (!result?.result.ok || toasted.current === result) return;
    toasted.current = result;
    setPending(null);
    shopify.toast.show(outcomeText(result, { t, locale, timeZone, now }).lines[0] ?? "");
  }, [result, shopify, t, locale, timeZone, now]);

  const busy = fetcher.state !== "idle";
  const submit = (intent: string, holdId: string, extra: Record<string, string> = {}) => fetcher.submit({ intent, holdId, ...extra }, { method: "post" });
  const pendingHold = pending ? holds.find((h) => h.id === pending.holdId) : undefined;
  const outcome = result ? outcomeText(result, formatting) : null;

  const tabs = HOLD_TABS.map((id) => ({ id, content: t(TAB_LABEL[id]), badge: String(counts[id]) }));

  const rows = holds.map((hold, index) => {
    const status = STATUS[hold.tab];
    const endsToday = hold.endsToday;
    return (
      <IndexTable.Row id={hold.id} key={hold.id} position={index}>
        <IndexTable.Cell>
          <BlockStack gap="050">
            <Text as="span" fontWeight="semibold">
              {customerName(hold)}
            </Text>
            {hold.customer.phone && hold.customer.name ? (
              <Text as="span" variant="bodySm" tone="subdued">
                {hold.customer.phone}
              </Text>
            ) : null}
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack gap="050">
            {hold.items.map((item, i) => (
              <Text as="span" key={i}>
                {item.size
                  ? t("holds.item.size", { quantity: item.quantity, product: item.productTitle, size: item.size })
                  : t("holds.item", { quantity: item.quantity, product: item.productTitle })}
              </Text>
            ))}
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack gap="050">
            <Text as="span" numeric>
              {formatWhen(hold.expiresAt, formatting)}
            </Text>
            {hold.tab === "completed" || hold.tab === "cancelled" ? (
              <Text as="span" variant="bodySm" tone="subdued">
                {t("holds.endedAt", { when: formatWhen(hold.updatedAt, formatting) })}
              </Text>
            ) : null}
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Badge tone={endsToday ? "warning" : status.tone}>{t(endsToday ? "holds.status.endsToday" : status.label)}</Badge>
        </IndexTable.Cell>
        <IndexTable.Cell>
          {hold.draftOrderNumericId !== null ? (
            <Link url={`shopify:admin/draft_orders/${hold.draftOrderNumericId}`} target="_top">
              {t("holds.draftOrder", { name: hold.draftOrderName ?? String(hold.draftOrderNumericId) })}
            </Link>
          ) : hold.orderNumericId !== null ? (
            <Link url={`shopify:admin/orders/${hold.orderNumericId}`} target="_top">
              {t("holds.order")}
            </Link>
          ) : (
            <Text as="span" tone="subdued">
              {hold.draftOrderName ?? ""}
            </Text>
          )}
        </IndexTable.Cell>
        <IndexTable.Cell>
          {hold.tab === "active" ? (
            <InlineStack gap="200" wrap={false}>
              <Button
                size="slim"
                onClick={() => {
                  setPending({ intent: "extend", holdId: hold.id });
                  setDeadline(toLocalDateTime(hold.latestDeadline ?? hold.expiresAt, timeZone));
                }}
                disabled={busy}
              >
                {t("holds.actions.extend")}
              </Button>
              <Button size="slim" onClick={() => submit("pickUp", hold.id)} disabled={busy} loading={busy && fetcher.formData?.get("holdId") === hold.id && fetcher.formData?.get("intent") === "pickUp"}>
                {t("holds.actions.pickUp")}
              </Button>
              <Button size="slim" tone="critical" variant="plain" onClick={() => setPending({ intent: "cancel", holdId: hold.id })} disabled={busy}>
                {t("holds.actions.cancel")}
              </Button>
            </InlineStack>
          ) : null}
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  // A refused deadline is said on its field while the panel is open; other outcomes in a banner.
  const deadlineRefused = result != null && !result.result.ok && result.result.error.startsWith("deadline_");
  const extendError = result && deadlineRefused && result.holdId === pending?.holdId ? outcomeText(result, formatting).lines[0] : undefined;

  return (
    <Page title={t("nav.holds")}>
      <TitleBar title={t("nav.holds")} />
      <Layout>
        {outcome && !deadlineRefused ? (
          <Layout.Section>
            <div data-testid="holds-outcome">
              <Banner tone={outcome.tone}>
                <BlockStack gap="100">
                  {outcome.lines.map((line) => (
                    <p key={line}>{line}</p>
                  ))}
                </BlockStack>
              </Banner>
            </div>
          </Layout.Section>
        ) : null}
        {pending && pendingHold ? (
          <Layout.Section>
            <div data-testid="holds-panel">
              <Card>
                {pending.intent === "extend" ? (
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      {t("holds.extend.title", { customer: customerName(pendingHold) })}
                    </Text>
                    <Box maxWidth="22rem">
                      <TextField
                        label={t("holds.extend.label", { timeZone })}
                        type="datetime-local"
                        value={deadline}
                        onChange={setDeadline}
                        autoComplete="off"
                        helpText={pendingHold.latestDeadline ? t("holds.extend.help", { latest: formatWhen(pendingHold.latestDeadline, formatting) }) : undefined}
                        error={extendError}
                      />
                    </Box>
                    <InlineStack gap="200">
                      <Button variant="primary" onClick={() => submit("extend", pendingHold.id, { deadline })} loading={busy}>
                        {t("holds.extend.save")}
                      </Button>
                      <Button onClick={() => setPending(null)}>{t("holds.extend.close")}</Button>
                    </InlineStack>
                  </BlockStack>
                ) : (
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      {t("holds.cancel.title", { customer: customerName(pendingHold) })}
                    </Text>
                    <Text as="p">{t("holds.cancel.text")}</Text>
                    <InlineStack gap="200">
                      <Button variant="primary" tone="critical" onClick={() => submit("cancel", pendingHold.id)} loading={busy}>
                        {t("holds.cancel.confirm")}
                      </Button>
                      <Button onClick={() => setPending(null)}>{t("holds.cancel.keep")}</Button>
                    </InlineStack>
                  </BlockStack>
                )}
              </Card>
            </div>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <Tabs
              tabs={tabs}
              selected={HOLD_TABS.indexOf(tab)}
              onSelect={(index) => {
                setPending(null);
                update({ tab: HOLD_TABS[index] ?? null });
              }}
            />
            {/* The tab is not a filter: "clear all" empties the search only. */}
            <ListFilters list={list} keys={[]} placeholder={t("holds.search.placeholder")} filters={[]} applied={[]} loading={navigation.state === "loading"} />
            <div data-testid="holds-list">
              <IndexTable
                resourceName={{ singular: t("holds.resource.singular"), plural: t("holds.resource.plural") }}
                itemCount={holds.length}
                selectable={false}
                headings={[
                  { title: t("holds.columns.customer") },
                  { title: t("holds.columns.items") },
                  { title: t("holds.columns.deadline") },
                  { title: t("holds.columns.status") },
                  { title: t("holds.columns.draftOrder") },
                  { title: t("holds.columns.actions") },
                ]}
                emptyState={
                  <EmptyState heading={t("holds.empty.heading")} image="">
                    <p>{urlSearch ? t("holds.empty.filtered") : t("holds.empty.text")}</p>
                  </EmptyState>
                }
              >
                {rows}
              </IndexTable>
            </div>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
