import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  return context.services.home(session.shop);
};

const CHANNEL_LABEL: Record<string, string> = { sms: "SMS", whatsapp: "WhatsApp", email: "Email" };

function formatTime(iso: string, timeZone: string) {
  return new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export default function Home() {
  const { shop, channels, messages } = useLoaderData<typeof loader>();
  const timeZone = shop?.timezone ?? "UTC";
  return (
    <Page title={shop ? shop.name : "Coccinelle"} subtitle="Your AI concierge answers your customers' messages from live Shopify data.">
      <TitleBar title="Coccinelle" />
      <Layout>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Channels
              </Text>
              {channels.length === 0 ? (
                <Text as="p" tone="subdued">
                  No channel connected yet.
                </Text>
              ) : (
                channels.map((c) => (
                  <InlineStack key={`${c.provider}-${c.address}`} align="space-between" blockAlign="center">
                    <BlockStack gap="100">
                      <Text as="span" variant="bodyMd" fontWeight="semibold">
                        {CHANNEL_LABEL[c.channel] ?? c.channel} · {c.address}
                      </Text>
                      <Text as="span" variant="bodySm" tone="subdued">
                        via {c.provider}
                      </Text>
                    </BlockStack>
                    {c.sending === "live" ? <Badge tone="success">Sending</Badge> : <Badge tone="attention">Outbox only</Badge>}
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
                Latest messages
              </Text>
              {messages.length === 0 ? (
                <EmptyState heading="No messages yet" image="">
                  <p>When a customer texts your shop, the conversation appears here.</p>
                </EmptyState>
              ) : (
                <BlockStack gap="200">
                  {messages.map((m) => (
                    <Box key={m.id} padding="300" background={m.direction === "inbound" ? "bg-surface-secondary" : "bg-surface-success"} borderRadius="200">
                      <BlockStack gap="100">
                        <InlineStack gap="200" blockAlign="center">
                          <Text as="span" fontWeight="semibold">
                            {m.direction === "inbound" ? m.customer : m.author === "ai" ? "Coccinelle" : "You"}
                          </Text>
                          <Badge>{CHANNEL_LABEL[m.channel] ?? m.channel}</Badge>
                          <Text as="span" variant="bodySm" tone="subdued">
                            {formatTime(m.createdAt, timeZone)}
                            {m.direction === "outbound" ? ` · ${m.status}` : m.latencyMs !== null ? ` · answered in ${m.latencyMs} ms` : ""}
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
