/**
 * One conversation: the messages with their channel and delivery state, what the AI understood,
 * checked and did (as cards), why it needs the merchant, and her tools — the suggested reply to
 * edit and send, take over, hand back. Opening the thread reads it.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptyState, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useState } from "react";
import type { TranslationKey } from "~/i18n";
import { formatWhen, type WhenFormatting } from "~/i18n/format";
import { useLocale, useT } from "~/i18n/react";
import type { MerchantReplyResult } from "~/inbox/inbox.server";
import { MessageView } from "~/components/message-view";
import { previewTemplate, TEMPLATE_LABEL, VARIABLE_LABEL, variableField, type WhatsappReplyOptions } from "~/inbox/whatsapp-templates";
import type { WhatsappTemplateSendResult } from "~/inbox/whatsapp-templates.server";

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { inbox } = context.services;
  const now = inbox.now().toISOString();
  const shop = await inbox.shop(session.shop);
  const thread = shop ? await inbox.thread(shop.id, params.id ?? "") : null;
  if (!shop || !thread) return { thread: null, timeZone: "UTC", now, whatsapp: null };
  // WhatsApp after the 24-hour window: her approved templates instead of free text.
  const whatsapp = thread.whatsappWindow && !thread.whatsappWindow.open ? await context.services.whatsappTemplates.options(shop.id, thread.conversation.id) : null;
  // She sees these messages now: read up to the newest one shown (a later one stays unread). A
  // write in a loader, on purpose: every load of this page, live updates included, is her reading.
  const newest = thread.messages.at(-1);
  if (newest && thread.messages.some((m) => m.unread)) await inbox.markRead(shop.id, thread.conversation.id, new Date(newest.createdAt));
  return { thread, timeZone: shop.timezone, now, whatsapp };
};

type ActionResult =
  | { intent: "reply"; result: MerchantReplyResult }
  | { intent: "template"; result: WhatsappTemplateSendResult }
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
  if (intent === "template") {
    const values: Record<string, string> = {};
    for (const [key, value] of form) if (key.startsWith(variableField(""))) values[key.slice(variableField("").length)] = String(value);
    return { intent, result: await context.services.whatsappTemplates.send(shop.id, id, String(form.get("template") ?? ""), values) };
  }
  if (intent === "takeOver") return { intent, ok: await inbox.takeOver(shop.id, id) };
  if (intent === "handBack") return { intent, ok: await inbox.handBack(shop.id, id) };
  return { intent: "unknown" };
};

const CHANNEL_LABEL: Record<string, TranslationKey> = { sms: "channel.sms", whatsapp: "channel.whatsapp", email: "channel.email" };
const STATUS_LABEL: Record<string, TranslationKey> = { open: "conversationStatus.open", needs_merchant: "conversationStatus.needs_merchant", closed: "conversationStatus.closed" };

export default function ThreadPage() {
  const { thread, timeZone, now, whatsapp } = useLoaderData<typeof loader>();
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
  return <Thread key={thread.conversation.id} thread={thread} whatsapp={whatsapp} formatting={{ t, locale, timeZone, now }} />;
}

type LoadedThread = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["thread"]>;

function Thread({ thread, whatsapp, formatting }: { thread: LoadedThread; whatsapp: WhatsappReplyOptions | null; formatting: WhenFormatting }) {
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
  const refused = fetcher.state === "idle" && fetcher.data?.intent === "reply" && !fetcher.data.result.ok ? fetcher.data.result.reason : null;
  const replyError: TranslationKey | null = refused === "empty" ? "thread.reply.empty" : refused === "window_closed" ? "whatsappReply.windowClosed" : null;

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
              {whatsapp ? <WhatsappTemplateReply key={thread.conversation.id} options={whatsapp} customer={customer.name ?? title} t={t} /> : null}
              {whatsapp && emptyReply ? null : (
                <>
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
                      helpText={whatsapp ? t("whatsappReply.draftKept") : suggested && reply === suggested ? t("thread.reply.suggested") : undefined}
                      error={replyError ? t(replyError) : undefined}
                    />
                  </div>
                  {whatsapp ? null : (
                    <InlineStack align="end">
                      <Button variant="primary" onClick={() => submit("reply", { body: reply })} loading={sending} disabled={emptyReply || busy}>
                        {t("thread.reply.send")}
                      </Button>
                    </InlineStack>
                  )}
                </>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

const LANGUAGE_LABEL: Record<WhatsappReplyOptions["language"], TranslationKey> = { fr: "settings.language.fr", en: "settings.language.en" };

const TEMPLATE_REFUSAL: Record<string, TranslationKey> = {
  unknown_template: "whatsappReply.errors.unknownTemplate",
  too_long: "whatsappReply.errors.tooLong",
  opted_out: "whatsappReply.errors.optedOut",
  not_whatsapp: "whatsappReply.errors.notWhatsapp",
  no_address: "thread.toast.noAddress",
  not_found: "thread.notFound",
  missing_variables: "whatsappReply.errors.missingSummary",
};

/**
 * The WhatsApp window has closed: one of the shop's approved templates in the customer's language,
 * its values (prefilled from what we know) and the text she will read; without one, the other
 * ways to reach her. An empty value is caught here and again on the server, and nothing she typed
 * is lost.
 */
function WhatsappTemplateReply({ options, customer, t }: { options: WhatsappReplyOptions; customer: string; t: WhenFormatting["t"] }) {
  const shopify = useAppBridge();
  const fetcher = useFetcher<typeof action>();
  const initial = () => Object.fromEntries(options.templates.flatMap((o) => o.variables.map((v) => [v.name, v.value])));
  const [chosen, setChosen] = useState(options.templates[0]?.template ?? "");
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [checked, setChecked] = useState(false);
  const option = options.templates.find((o) => o.template === chosen) ?? options.templates[0];
  const language = t(LANGUAGE_LABEL[options.language]);
  const sending = fetcher.state !== "idle";
  const result = fetcher.state === "idle" && fetcher.data?.intent === "template" ? fetcher.data.result : undefined;

  useEffect(() => {
    if (!result?.ok) return;
    if (result.status === "failed") shopify.toast.show(t("thread.toast.failed", { error: result.error ?? "?" }), { isError: true });
    else {
      shopify.toast.show(t(result.status === "outbox" ? "thread.toast.outbox" : "whatsappReply.sent"));
      setValues(initial);
      setChecked(false);
    }
    // `initial` reads the loader's options, which the same result refreshes.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new result resets the form
  }, [result, shopify, t]);

  if (options.optedOut || !option) {
    return (
      <div data-testid="whatsapp-no-template">
        <Banner tone="warning" title={options.optedOut ? undefined : t("whatsappReply.noTemplate.title", { language })}>
          <BlockStack gap="200">
            <Text as="p">{options.optedOut ? t("whatsappReply.optedOut", { name: customer }) : t("whatsappReply.noTemplate.body")}</Text>
            {options.otherChannels.length > 0 ? (
              <>
                <Text as="p">{t("whatsappReply.otherChannels", { name: customer })}</Text>
                <List>
                  {options.otherChannels.map((o) => (
                    <List.Item key={o.channel}>{t("whatsappReply.otherChannel", { channel: t(CHANNEL_LABEL[o.channel] ?? "channel.sms"), address: o.address })}</List.Item>
                  ))}
                </List>
              </>
            ) : (
              <Text as="p">{t("whatsappReply.noOtherChannel")}</Text>
            )}
          </BlockStack>
        </Banner>
      </div>
    );
  }

  const serverMissing = result && !result.ok && result.reason === "missing_variables" ? result.missing : [];
  const missing = (name: string) => (checked && (values[name] ?? "").trim() === "") || serverMissing.includes(name);
  const refusal = result && !result.ok ? TEMPLATE_REFUSAL[result.reason] : undefined;
  const send = () => {
    setChecked(true);
    if (option.variables.some((v) => (values[v.name] ?? "").trim() === "")) return;
    const form: Record<string, string> = { intent: "template", template: option.template };
    for (const v of option.variables) form[variableField(v.name)] = values[v.name] ?? "";
    fetcher.submit(form, { method: "post" });
  };

  return (
    <div data-testid="whatsapp-template">
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("whatsappReply.title")}
        </Text>
        <Text as="p">{t("whatsappReply.intro", { language, name: customer })}</Text>
        {refusal ? <Banner tone="critical">{t(refusal)}</Banner> : null}
        <Select
          label={t("whatsappReply.template")}
          options={options.templates.map((o) => ({ value: o.template, label: TEMPLATE_LABEL[o.template] ? t(TEMPLATE_LABEL[o.template]!) : o.template }))}
          value={option.template}
          onChange={setChosen}
          helpText={option.category === "MARKETING" ? t("whatsappReply.marketing") : undefined}
        />
        <Text as="h3" variant="headingSm">
          {t("whatsappReply.variablesTitle")}
        </Text>
        {option.variables.map((v) => (
          <TextField
            key={v.name}
            label={VARIABLE_LABEL[v.name] ? t(VARIABLE_LABEL[v.name]!) : v.name}
            value={values[v.name] ?? ""}
            onChange={(value) => setValues((current) => ({ ...current, [v.name]: value }))}
            autoComplete="off"
            error={missing(v.name) ? t("whatsappReply.errors.missing") : undefined}
          />
        ))}
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            {t("whatsappReply.preview", { name: customer })}
          </Text>
          <div data-testid="whatsapp-template-preview">
            <Box padding="300" background="bg-surface-secondary" borderRadius="200">
              <Text as="p">
                <span style={{ whiteSpace: "pre-wrap" }}>{previewTemplate(option, values)}</span>
              </Text>
            </Box>
          </div>
        </BlockStack>
        <InlineStack align="end">
          <Button variant="primary" onClick={send} loading={sending} disabled={sending}>
            {t("whatsappReply.send")}
          </Button>
        </InlineStack>
      </BlockStack>
    </div>
  );
}
