/**
 * Home: what Sarah reads in thirty seconds between two customers — today's figures, the
 * conversations that need her, alerts, the last 30 days, her channels and the latest messages.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, EmptyState, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { ActivityChart } from "~/components/activity-chart";
import { StatCards, type StatCard } from "~/components/stat-cards";
import { TitledCard } from "~/components/titled-card";
import type { TranslationKey } from "~/i18n";
import { formatClock, formatDateTime, formatWhen } from "~/i18n/format";
import { intlLocale } from "~/i18n";
import { useLocale, useT } from "~/i18n/react";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  return context.services.home.load(session.shop);
};

const CHANNEL_LABEL: Record<string, TranslationKey> = { sms: "channel.sms", whatsapp: "channel.whatsapp", email: "channel.email" };
const STATUS_LABEL: Record<string, TranslationKey> = {
  received: "messageStatus.received",
  processing: "messageStatus.processing",
  processed: "messageStatus.processed",
  pending: "messageStatus.pending",
  sent: "messageStatus.sent",
  delivered: "messageStatus.delivered",
  read: "messageStatus.read",
  outbox: "messageStatus.outbox",
  failed: "messageStatus.failed",
};

export default function Home() {
  const { shop, now, channels, today, needsYou, alerts, activity, messages } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const timeZone = shop?.timezone ?? "UTC";
  const channelLabel = (channel: string) => (CHANNEL_LABEL[channel] ? t(CHANNEL_LABEL[channel]) : channel);
  const statusLabel = (status: string) => (STATUS_LABEL[status] ? t(STATUS_LABEL[status]) : status);
  const number = new Intl.NumberFormat(intlLocale(locale));
  const percent = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((part / whole) * 100)} %`);
  const money = (amount: string, currency: string) => new Intl.NumberFormat(intlLocale(locale), { style: "currency", currency }).format(Number(amount));
  const day = new Intl.DateTimeFormat(intlLocale(locale), { day: "numeric", month: "short", timeZone: "UTC" });
  const alertCount = alerts.lowStock.length + alerts.holdsEndingToday.length + (alerts.failedDeliveries.count > 0 ? 1 : 0) + (alerts.whatsappWindow.count > 0 ? 1 : 0);

  const figures: StatCard[] = [
    { key: "received", label: t("home.today.received"), value: number.format(today.received) },
    { key: "answered", label: t("home.today.answered"), value: number.format(today.answered), help: t("home.today.answeredShare", { share: percent(today.answered, today.received) }) },
    { key: "escalated", label: t("home.today.escalated"), value: number.format(today.escalated) },
    {
      key: "response",
      label: t("home.today.medianResponse"),
      value: today.medianResponseMs === null ? "—" : today.medianResponseMs < 1000 ? t("home.today.ms", { ms: today.medianResponseMs }) : t("home.today.seconds", { s: (today.medianResponseMs / 1000).toFixed(1) }),
    },
    {
      key: "revenue",
      label: t("home.today.revenue"),
      value: today.revenue.length === 0 ? money("0", "EUR") : today.revenue.map((r) => money(r.amount, r.currency)).join(" + "),
    },
  ];

  return (
    <Page title={shop ? shop.name : t("app.name")} subtitle={t("home.subtitle")}>
      <TitleBar title={t("app.name")} />
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("home.today.title")}
        </Text>
        <StatCards testId="today" cards={figures} size="headingLg" columns={5} />
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              <TitledCard title={t("home.needsYou.title")} action={<Link url="/app/inbox?tab=needs_you">{t("home.needsYou.all")}</Link>}>
                {needsYou.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("home.needsYou.none")}
                  </Text>
                ) : (
                  <BlockStack gap="200">
                    {needsYou.map((c) => (
                      <Box key={c.id} padding="300" background="bg-surface-secondary" borderRadius="200">
                        <BlockStack gap="100">
                          <InlineStack gap="200" blockAlign="center">
                            <Link url={`/app/inbox/${c.id}`} monochrome removeUnderline>
                              <Text as="span" fontWeight="semibold">
                                {c.customer.name ?? c.customer.phone ?? c.customer.email ?? "?"}
                              </Text>
                            </Link>
                            <Badge>{channelLabel(c.channel)}</Badge>
                            {c.urgent ? <Badge tone="critical">{t("inbox.row.urgent")}</Badge> : null}
                            {c.vip ? <Badge tone="magic">{t("segment.vip")}</Badge> : null}
                            <Text as="span" variant="bodySm" tone="subdued">
                              {formatWhen(c.lastMessageAt, { t, locale, timeZone, now })}
                            </Text>
                          </InlineStack>
                          {c.lastMessage ? (
                            <Text as="p" truncate>
                              {c.lastMessage.body}
                            </Text>
                          ) : null}
                        </BlockStack>
                      </Box>
                    ))}
                  </BlockStack>
                )}
              </TitledCard>
              <TitledCard title={t("home.activity.title")}>
                <ActivityChart
                  names={{ received: t("home.activity.received"), automationRate: t("home.activity.automationRate") }}
                  points={activity.map((d) => ({
                    label: day.format(new Date(`${d.day}T00:00:00Z`)),
                    received: d.received,
                    automationRate: d.received === 0 ? null : Math.round((d.automated / d.received) * 100),
                  }))}
                />
              </TitledCard>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <TitledCard title={t("home.alerts.title")}>
                {alertCount === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("home.alerts.none")}
                  </Text>
                ) : (
                  <BlockStack gap="200">
                    {alerts.holdsEndingToday.map((h) => (
                      <InlineStack key={h.id} gap="200" blockAlign="start" wrap={false}>
                        <Badge tone="warning">{t("home.alerts.holdBadge")}</Badge>
                        <Text as="p">{t("home.alerts.holdEnding", { customer: h.customer, items: h.items, time: formatClock(h.expiresAt, timeZone) })}</Text>
                      </InlineStack>
                    ))}
                    {alerts.lowStock.map((n) => (
                      <InlineStack key={n.id} gap="200" blockAlign="start" wrap={false}>
                        <Badge tone="attention">{t("home.alerts.stockBadge")}</Badge>
                        <Text as="p">
                          {n.label !== null && n.available !== null ? t("home.alerts.lowStock", { item: n.label, available: n.available, waiting: n.waiting ?? 0 }) : n.title}
                        </Text>
                      </InlineStack>
                    ))}
                    {alerts.failedDeliveries.count > 0 ? (
                      <InlineStack gap="200" blockAlign="start" wrap={false}>
                        <Badge tone="critical">{t("home.alerts.deliveryBadge")}</Badge>
                        <BlockStack gap="100">
                          <Text as="p">{t("home.alerts.failedDeliveries", { count: alerts.failedDeliveries.count })}</Text>
                          {alerts.failedDeliveries.latest.map((m) => (
                            <Link key={m.id} url={`/app/inbox/${m.conversationId}`}>
                              {`${m.customer} · ${channelLabel(m.channel)}${m.errorCode ? ` (${m.errorCode})` : ""}`}
                            </Link>
                          ))}
                        </BlockStack>
                      </InlineStack>
                    ) : null}
                    {alerts.whatsappWindow.count > 0 ? (
                      <InlineStack gap="200" blockAlign="start" wrap={false}>
                        <Badge tone="critical">{t("channel.whatsapp")}</Badge>
                        <Text as="p">{t("home.alerts.whatsappWindow", { count: alerts.whatsappWindow.count })}</Text>
                      </InlineStack>
                    ) : null}
                  </BlockStack>
                )}
              </TitledCard>
              <TitledCard title={t("home.channels.title")}>
                {channels.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("home.channels.none")}
                  </Text>
                ) : (
                  channels.map((c) => (
                    <InlineStack key={`${c.provider}-${c.address}`} align="space-between" blockAlign="center">
                      <BlockStack gap="100">
                        <Text as="span" variant="bodyMd" fontWeight="semibold">
                          {channelLabel(c.channel)} · {c.address}
                        </Text>
                        <Text as="span" variant="bodySm" tone="subdued">
                          {t("home.channels.via", { provider: c.provider })}
                        </Text>
                      </BlockStack>
                      {c.sending === "live" ? <Badge tone="success">{t("home.channels.sending")}</Badge> : <Badge tone="attention">{t("home.channels.outboxOnly")}</Badge>}
                    </InlineStack>
                  ))
                )}
              </TitledCard>
            </BlockStack>
          </Layout.Section>
          <Layout.Section>
            <TitledCard title={t("home.latest.title")}>
              {messages.length === 0 ? (
                <EmptyState heading={t("home.latest.emptyHeading")} image="">
                  <p>{t("home.latest.emptyText")}</p>
                </EmptyState>
              ) : (
                <BlockStack gap="200">
                  {messages.map((m) => (
                    <div key={m.id} data-message={m.direction}>
                      <Box padding="300" background={m.direction === "inbound" ? "bg-surface-secondary" : "bg-surface-success"} borderRadius="200">
                        <BlockStack gap="100">
                          <InlineStack gap="200" blockAlign="center">
                            <Text as="span" fontWeight="semibold">
                              {m.direction === "inbound" ? m.customer : m.author === "ai" ? t("app.name") : t("author.you")}
                            </Text>
                            <Badge>{channelLabel(m.channel)}</Badge>
                            <Text as="span" variant="bodySm" tone="subdued">
                              {formatDateTime(m.createdAt, locale, timeZone)}
                              {m.direction === "outbound"
                                ? ` · ${statusLabel(m.status)}`
                                : m.latencyMs !== null
                                  ? ` · ${t("home.latest.answeredIn", { ms: m.latencyMs })}`
                                  : ""}
                            </Text>
                          </InlineStack>
                          <Text as="p">{m.body}</Text>
                        </BlockStack>
                      </Box>
                    </div>
                  ))}
                </BlockStack>
              )}
            </TitledCard>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
