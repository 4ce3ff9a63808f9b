/**
 * One conversation: the messages with their channel and delivery state, what the AI understood,
 * checked and did (as cards), why it needs the merchant, and her tools — the suggested reply to
 * edit and send, take over, hand back. Opening the thread reads it.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, EmptyState, InlineStack, Layout, List, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useState } from "react";
import type { TranslationKey } from "~/i18n";
import { formatWhen, type WhenFormatting } from "~/i18n/format";
import { useLocale, useT } from "~/i18n/react";
import type { MerchantReplyResult } from "~/inbox/inbox.server";
import { MessageView } from "~/components/message-view";

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { inbox } = context.services;
  const now = inbox.now().toISOString();
  const shop = await inbox.shop(session.shop);
  const thread = shop ? await inbox.thread(shop.id, params.id ?? "") : null;
  if (!shop || !thread) return { thread: null, timeZone: "UTC", now };
  // She sees these messages now: read up to the newest one shown (a later one stays unread). A
  // write in a loader, on purpose: every load of this page, live updates included, is her reading.
  const newest = thread.messages.at(-1);
  if (newest && thread.messages.some((m) => m.unread)) await inbox.markRead(shop.id, thread.conversation.id, new Date(newest.createdAt));
  return { thread, timeZone: shop.timezone, now };
};

type ActionResult =
  | { intent: "reply"; result: MerchantReplyResult }
  | { intent: "takeOver" | "handBack"; ok: boolean }
  | { intent: "unknown" };

export const action = async ({ request, params, context }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { inbox } = context.services;
  const shop = await inbox.shop(session.shop);
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = form.get("intent");
  if (!shop) return { intent: "unknown" };
  if (intent === "reply") return { intent, result: await inbox.reply(shop.id, id, String(form.get("body") ?? "")) };
  if (intent === "takeOver") return { intent, ok: await inbox.takeOver(shop.id, id) };
  if (intent === "handBack") return { intent, ok: await inbox.handBack(shop.id, id) };
  return { intent: "unknown" };
};

const CHANNEL_LABEL: Record<string, TranslationKey> = { sms: "channel.sms", whatsapp: "channel.whatsapp", email: "channel.email" };
const STATUS_LABEL: Record<string, TranslationKey> = { open: "conversationStatus.open", needs_merchant: "conversationStatus.needs_merchant", closed: "conversationStatus.closed" };

export default function ThreadPage() {
  const { thread, timeZone, now } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (!thread) {
    return (
      <Page backAction={{ content: t("inbox.title"), url: "/app/inbox" }} title={t("inbox.title")}>
        <Card>
          <EmptyState heading={t("thread.notFound")} image="" />
        </Card>
      </Page>
    );
  }
  // A new thread is a new page: the reply being written does not follow her to another conversation.
  return <Thread key={thread.conversation.id} thread={thread} formatting={{ t, locale, timeZone, now }} />;
}

function Thread({ thread, formatting }: { thread: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["thread"]>; formatting: WhenFormatting }) {
  const { t } = formatting;
  const shopify = useAppBridge();
  const fetcher = useFetcher<typeof action>();
  const { conversation, customer } = thread;
  const escalated = conversation.status === "needs_merchant" && conversation.escalation !== null;
  const suggested = escalated ? (conversation.escalation?.suggestedReply ?? "") : "";
  const [reply, setReply] = useState(suggested);
  const [edited, setEdited] = useState(false);
  const busy = fetcher.state !== "idle";
  const sending = busy && fetcher.formData?.get("intent") === "reply";

  // A new suggestion (a later escalation) replaces the draft unless she has written her own.
  useEffect(() => {
    if (!edited) setReply(suggested);
  }, [suggested, edited]);

  // What happened to her last action, said once.
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!result) return;
    if (result.intent === "takeOver" && result.ok) shopify.toast.show(t("thread.toast.tookOver"));
    if (result.intent === "handBack" && result.ok) shopify.toast.show(t("thread.toast.handedBack"));
    if (result.intent === "reply") {
      const r = result.result;
      if (r.ok && r.status === "failed") shopify.toast.show(t("thread.toast.failed", { error: r.error ?? "?" }), { isError: true });
      else if (r.ok) {
        shopify.toast.show(t(r.status === "outbox" ? "thread.toast.outbox" : "thread.toast.sent"));
        setReply("");
        setEdited(false);
      } else if (r.reason === "no_address") shopify.toast.show(t("thread.toast.noAddress"), { isError: true });
    }
  }, [result, shopify, t]);

  const title = customer.name ?? customer.phone ?? customer.email ?? "?";
  const contact = [customer.phone, customer.email].filter((v): v is string => Boolean(v) && v !== title).join(" · ");
  const submit = (intent: string, extra: Record<string, string> = {}) => fetcher.submit({ intent, ...extra }, { method: "post" });
  const emptyReply = reply.trim() === "";

  return (
    <Page
      backAction={{ content: t("inbox.title"), url: "/app/inbox" }}
      title={title}
      subtitle={contact || undefined}
      titleMetadata={
        <InlineStack gap="100">
          <Badge>{t(CHANNEL_LABEL[conversation.channel] ?? "channel.sms")}</Badge>
          <Badge tone={conversation.status === "needs_merchant" ? "warning" : undefined}>{t(STATUS_LABEL[conversation.status] ?? "conversationStatus.open")}</Badge>
          {thread.vip ? <Badge tone="magic">{t("segment.vip")}</Badge> : null}
        </InlineStack>
      }
      secondaryActions={[{ content: t("customers.fromThread.link"), url: `/app/customers/${customer.id}` }]}
      primaryAction={
        conversation.aiPaused
          ? { content: t("thread.handBack"), onAction: () => submit("handBack"), loading: busy && fetcher.formData?.get("intent") === "handBack" }
          : { content: t("thread.takeOver"), onAction: () => submit("takeOver"), loading: busy && fetcher.formData?.get("intent") === "takeOver" }
      }
    >
      <TitleBar title={title} />
      <Layout>
        {conversation.aiPaused ? (
          <Layout.Section>
            <Banner tone="info">{t("thread.takenOver")}</Banner>
          </Layout.Section>
        ) : null}
        {escalated && conversation.escalation ? (
          <Layout.Section>
            <div data-testid="thread-escalation">
              <Card>
                <BlockStack gap="200">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {t("thread.escalation.title")}
                    </Text>
                    {conversation.escalation.urgent ? <Badge tone="critical">{t("inbox.row.urgent")}</Badge> : null}
                  </InlineStack>
                  <Text as="p">{conversation.escalation.summary}</Text>
                  {conversation.escalation.checked.length > 0 ? (
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        {t("thread.escalation.checked")}
                      </Text>
                      <List>
                        {conversation.escalation.checked.map((line) => (
                          <List.Item key={line}>{line}</List.Item>
                        ))}
                      </List>
                    </BlockStack>
                  ) : null}
                </BlockStack>
              </Card>
            </div>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <div data-testid="thread-messages">
              <BlockStack gap="300">
                {thread.messages.map((m) => (
                  <MessageView key={m.id} message={m} customer={title} formatting={formatting} />
                ))}
              </BlockStack>
            </div>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              {thread.whatsappWindow ? (
                thread.whatsappWindow.open ? (
                  <Text as="p" tone="subdued" variant="bodySm">
                    {t("thread.whatsappOpen", { when: formatWhen(thread.whatsappWindow.closesAt ?? formatting.now, formatting) })}
                  </Text>
                ) : (
                  <Banner tone="warning">{t("thread.whatsappClosed", { when: formatWhen(thread.whatsappWindow.closesAt ?? formatting.now, formatting) })}</Banner>
                )
              ) : null}
              <div data-testid="thread-reply">
                <TextField
                  label={t("thread.reply.label")}
                  value={reply}
                  onChange={(value) => {
                    setReply(value);
                    setEdited(true);
                  }}
                  multiline={4}
                  autoComplete="off"
                  helpText={suggested && reply === suggested ? t("thread.reply.suggested") : undefined}
                  error={fetcher.state === "idle" && fetcher.data?.intent === "reply" && !fetcher.data.result.ok && fetcher.data.result.reason === "empty" ? t("thread.reply.empty") : undefined}
                />
              </div>
              <InlineStack align="end">
                <Button variant="primary" onClick={() => submit("reply", { body: reply })} loading={sending} disabled={emptyReply || busy}>
                  {t("thread.reply.send")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
