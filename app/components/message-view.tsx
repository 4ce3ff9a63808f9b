/**
 * One message of a conversation as the merchant reads it: who wrote, on which channel and when,
 * its delivery state, the text, and what Coccinelle understood, checked and did about it (cards).
 * Shared by the inbox thread and the customer's timeline.
 */
import { Badge, BlockStack, Box, InlineStack, Text } from "@shopify/polaris";
import type { TranslationKey } from "~/i18n";
import { formatWhen, type WhenFormatting } from "~/i18n/format";
import { describeCard } from "~/inbox/cards";
import type { ThreadMessage } from "~/inbox/inbox.server";

const CHANNEL_LABEL: Record<string, TranslationKey> = { sms: "channel.sms", whatsapp: "channel.whatsapp", email: "channel.email" };
const DELIVERY: Record<string, { label: TranslationKey; tone?: "success" | "critical" | "attention" | "info" }> = {
  received: { label: "delivery.received" },
  processing: { label: "delivery.processing", tone: "info" },
  pending: { label: "delivery.pending", tone: "info" },
  sent: { label: "delivery.sent", tone: "success" },
  delivered: { label: "delivery.delivered", tone: "success" },
  read: { label: "delivery.read", tone: "success" },
  outbox: { label: "delivery.outbox", tone: "attention" },
  failed: { label: "delivery.failed", tone: "critical" },
};

/** `customer`: how she is called in the conversation (her name, else her phone or email). */
export function MessageView({ message: m, customer, formatting }: { message: ThreadMessage; customer: string; formatting: WhenFormatting }) {
  const { t } = formatting;
  const inbound = m.direction === "inbound";
  const delivery = DELIVERY[m.status];
  const author = inbound ? customer : m.author === "ai" ? t("app.name") : t("author.you");
  return (
    <div data-message-id={m.id} data-author={m.author}>
      <Box padding="300" background={inbound ? "bg-surface-secondary" : m.author === "ai" ? "bg-surface-success" : "bg-surface-info"} borderRadius="200">
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" fontWeight="semibold">
              {author}
            </Text>
            <Badge>{t(CHANNEL_LABEL[m.channel] ?? "channel.sms")}</Badge>
            <Text as="span" variant="bodySm" tone="subdued">
              {formatWhen(m.createdAt, formatting)}
            </Text>
            {!inbound && delivery ? <Badge tone={delivery.tone}>{t(delivery.label)}</Badge> : null}
            {!inbound && m.errorCode ? <Badge tone="critical">{t("delivery.errorCode", { code: m.errorCode })}</Badge> : null}
            {inbound && m.unread ? <Badge tone="attention">{t("thread.unread")}</Badge> : null}
          </InlineStack>
          {m.subject ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {t("thread.subject", { subject: m.subject })}
            </Text>
          ) : null}
          <Text as="p">
            <span style={{ whiteSpace: "pre-wrap" }}>{m.body}</span>
          </Text>
          {!inbound && m.status === "failed" && m.error ? (
            <Text as="p" variant="bodySm" tone="critical">
              {m.error}
            </Text>
          ) : null}
          {m.cards.length > 0 ? (
            <div data-testid="record-cards">
              <BlockStack gap="100">
                <Text as="h3" variant="headingXs" tone="subdued">
                  {t("thread.cardsTitle")}
                </Text>
                {m.cards.map((card, i) => {
                  const line = describeCard(card, formatting);
                  return (
                    <InlineStack key={i} gap="200" blockAlign="center">
                      <Text as="span" variant="bodySm" tone={line.tone === "success" ? "success" : line.tone === "critical" ? "critical" : line.tone === "subdued" ? "subdued" : undefined}>
                        {line.text}
                      </Text>
                      {line.detail ? (
                        <Text as="span" variant="bodySm" tone="subdued">
                          {line.detail}
                        </Text>
                      ) : null}
                    </InlineStack>
                  );
                })}
              </BlockStack>
            </div>
          ) : null}
        </BlockStack>
      </Box>
    </div>
  );
}
