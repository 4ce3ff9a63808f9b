import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import type { TranslationKey } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { useLocale, useT } from "~/i18n/react";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  return context.services.home(session.shop);
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
  const { shop, channels, messages } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const timeZone = shop?.timezone ?? "UTC";
  const channelLabel = (channel: string) => (CHANNEL_LABEL[channel] ? t(CHANNEL_LABEL[channel]) : channel);
  const statusLabel = (status: string) => (STATUS_LABEL[status] ? t(STATUS_LABEL[status]) : status);
  return (
    <Page title={shop ? shop.name : t("app.name")} subtitle={t("home.subtitle")}>
      <TitleBar title={t("app.name")} />
      <Layout>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("home.channels.title")}
              </Text>
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
                    {c.sending === "live" ? (
                      <Badge tone="success">{t("home.channels.sending")}</Badge>
                    ) : (
                      <Badge tone="attention">{t("home.channels.outboxOnly")}</Badge>
                    )}
                  </InlineStack>
                ))
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("home.latest.title")}
              </Text>
              {messages.length === 0 ? (
                <EmptyState heading={t("home.latest.emptyHeading")} image="">
                  <p>{t("home.latest.emptyText")}</p>
                </EmptyState>
              ) : (
                <BlockStack gap="200">
                  {messages.map((m) => (
                    <Box key={m.id} padding="300" background={m.direction === "inbound" ? "bg-surface-secondary" : "bg-surface-success"} borderRadius="200">
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
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
