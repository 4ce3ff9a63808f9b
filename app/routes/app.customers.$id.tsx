/**
 * One customer: her Shopify profile and figures (orders, total spent, average basket, customer
 * since, latest orders), her channels and consent per number, her holds, the timeline of messages
 * (with what Coccinelle did), holds and scheduled messages, the shop's note on her, and a message
 * from the merchant sent in her latest conversation.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Divider, EmptyState, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { MessageView } from "~/components/message-view";
import { TitledCard } from "~/components/titled-card";
import { StatCards } from "~/components/stat-cards";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { CustomerHold, CustomerShopifyProfile, NoteResult, SendResult, TimelineEntry } from "~/customers/customers.server";
import { MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH } from "~/customers/query";
import { intlLocale, type TranslationKey } from "~/i18n";
import { formatDate, formatMoney, formatWhen, type WhenFormatting } from "~/i18n/format";
import { useLocale, useT } from "~/i18n/react";
import type { ChannelKind } from "~/plugins/types";

type ShopifyPart = { state: "ok"; data: CustomerShopifyProfile } | { state: "unlinked" | "not_found" } | { state: "error"; error: string };

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { customers, logger } = context.services;
  const now = customers.now().toISOString();
  const shop = await customers.shop(session.shop);
  const detail = shop ? await customers.detail(shop.id, params.id ?? "") : null;
  if (!shop || !detail) return { detail: null, shopify: null, timeZone: "UTC", now };
  let shopify: ShopifyPart = { state: "unlinked" };
  const linked = detail.customer.shopifyCustomerId;
  if (linked) {
    // Shopify down is not her page down: our own data still shows, with the reason.
    try {
      const data = await customers.shopify(session.shop, linked);
      shopify = data ? { state: "ok", data } : { state: "not_found" };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn("customer's Shopify profile not read", { shop: session.shop, error: message });
      shopify = { state: "error", error: message };
    }
  }
  return { detail, shopify, timeZone: shop.timezone, now };
};

type ActionResult = { intent: "note"; result: NoteResult } | { intent: "send"; result: SendResult } | { intent: "unknown" };

export const action = async ({ request, params, context }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { customers } = context.services;
  const shop = await customers.shop(session.shop);
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = form.get("intent");
  if (!shop) return { intent: "unknown" };
  if (intent === "note") return { intent, result: await customers.addNote({ id: shop.id, domain: session.shop }, id, String(form.get("note") ?? "")) };
  if (intent === "send") return { intent, result: await customers.send(shop.id, id, String(form.get("body") ?? "")) };
  return { intent: "unknown" };
};

const CHANNEL_LABEL: Record<ChannelKind, TranslationKey> = { sms: "channel.sms", whatsapp: "channel.whatsapp", email: "channel.email" };
const SEGMENT_LABEL: Record<string, TranslationKey> = { vip: "segment.vip", new: "segment.new", returning: "segment.returning" };
const HOLD_STATUS: Record<CustomerHold["status"], TranslationKey> = {
  active: "customers.detail.holds.status.active",
  completed: "customers.detail.holds.status.completed",
  cancelled: "customers.detail.holds.status.cancelled",
  expired: "customers.detail.holds.status.expired",
};
const SCHEDULED_TYPE: Record<Extract<TimelineEntry, { kind: "scheduled" }>["type"], TranslationKey> = {
  pickup_reminder: "customers.detail.scheduled.pickup_reminder",
  hold_expiry: "customers.detail.scheduled.hold_expiry",
  thank_you: "customers.detail.scheduled.thank_you",
  follow_up: "customers.detail.scheduled.follow_up",
  back_in_stock: "customers.detail.scheduled.back_in_stock",
  shipping_update: "customers.detail.scheduled.shipping_update",
  tracking_alert: "customers.detail.scheduled.tracking_alert",
  broadcast: "customers.detail.scheduled.broadcast",
};
const SCHEDULED_STATUS: Record<Extract<TimelineEntry, { kind: "scheduled" }>["status"], TranslationKey> = {
  scheduled: "customers.detail.scheduledStatus.scheduled",
  sent: "customers.detail.scheduledStatus.sent",
  cancelled: "customers.detail.scheduledStatus.cancelled",
  failed: "customers.detail.scheduledStatus.failed",
  deferred: "customers.detail.scheduledStatus.deferred",
};
const NOTE_ERROR: Record<Exclude<NoteResult, { ok: true }>["reason"], TranslationKey> = {
  empty: "customers.detail.notes.errors.empty",
  too_long: "customers.detail.notes.errors.tooLong",
  not_found: "customers.detail.notes.errors.notFound",
  no_shopify_customer: "customers.detail.notes.errors.noShopifyCustomer",
  unsupported: "customers.detail.notes.errors.unsupported",
  provider: "customers.detail.notes.errors.provider",
};
const SEND_ERROR: Record<Extract<SendResult, { ok: false }>["reason"], TranslationKey> = {
  empty: "customers.detail.send.errors.empty",
  too_long: "customers.detail.send.errors.tooLong",
  not_found: "customers.detail.send.errors.notFound",
  no_address: "customers.detail.send.errors.noAddress",
  no_conversation: "customers.detail.send.errors.noConversation",
  opted_out: "customers.detail.send.errors.optedOut",
  window_closed: "customers.detail.send.errors.windowClosed",
};

type Detail = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["detail"]>;

export default function CustomerPage() {
  const { detail, shopify, timeZone, now } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  if (!detail || !shopify) {
    return (
      <Page backAction={{ content: t("customers.title"), url: "/app/customers" }} title={t("customers.title")}>
        <Card>
          <EmptyState heading={t("customers.detail.notFound")} image="" />
        </Card>
      </Page>
    );
  }
  // A new customer is a new page: a note or message being written does not follow her elsewhere.
  return <Customer key={detail.customer.id} detail={detail} shopify={shopify} formatting={{ t, locale, timeZone, now }} />;
}

function Customer({ detail, shopify, formatting }: { detail: Detail; shopify: ShopifyPart; formatting: WhenFormatting }) {
  const { t } = formatting;
  const { customer } = detail;
  const profile = shopify.state === "ok" ? shopify.data.profile : null;
  const name = [profile?.firstName, profile?.lastName].filter(Boolean).join(" ") || customer.name;
  const title = name ?? customer.phone ?? customer.email ?? "?";
  const contact = [customer.phone, customer.email].filter((v): v is string => Boolean(v) && v !== title).join(" · ");
  const latest = detail.conversations[0];

  return (
    <Page
      backAction={{ content: t("customers.title"), url: "/app/customers" }}
      title={title}
      subtitle={contact || undefined}
      titleMetadata={
        <InlineStack gap="100">
          {detail.segments.map((s) => (
            <Badge key={s} tone={s === "vip" ? "magic" : undefined}>
              {t(SEGMENT_LABEL[s] ?? "segment.new")}
            </Badge>
          ))}
        </InlineStack>
      }
      secondaryActions={latest ? [{ content: t("customers.detail.openThread"), url: `/app/inbox/${latest.id}` }] : []}
    >
      <TitleBar title={title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {shopify.state === "ok" ? <Stats data={shopify.data} formatting={formatting} /> : null}
            <SendMessage detail={detail} />
            <Timeline entries={detail.timeline} customerName={title} formatting={formatting} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <ShopifyProfile shopify={shopify} formatting={formatting} />
            <Channels detail={detail} formatting={formatting} />
            <Holds detail={detail} formatting={formatting} />
            <Notes note={profile?.note ?? null} linked={customer.shopifyCustomerId !== null} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Field({ label, value }: { label: string; value: ReactNode }) {
  return (
    <InlineStack align="space-between" gap="200" wrap={false}>
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" alignment="end">
        {value}
      </Text>
    </InlineStack>
  );
}

function Stats({ data, formatting }: { data: CustomerShopifyProfile; formatting: WhenFormatting }) {
  const { t, locale, timeZone } = formatting;
  const cards: Array<{ key: string; label: TranslationKey; value: string }> = [
    { key: "orders", label: "customers.detail.stats.orders", value: new Intl.NumberFormat(intlLocale(locale)).format(data.stats.orders) },
    { key: "spent", label: "customers.detail.stats.spent", value: formatMoney(data.stats.spent, locale) },
    { key: "averageBasket", label: "customers.detail.stats.averageBasket", value: data.stats.averageBasket ? formatMoney(data.stats.averageBasket, locale) : t("customers.detail.profile.none") },
    { key: "customerSince", label: "customers.detail.stats.customerSince", value: formatDate(data.stats.customerSince, locale, timeZone) },
  ];
  return <StatCards testId="customer-stats" size="headingLg" cards={cards.map((card) => ({ ...card, label: t(card.label) }))} />;
}

function ShopifyProfile({ shopify, formatting }: { shopify: ShopifyPart; formatting: WhenFormatting }) {
  const { t, locale, timeZone } = formatting;
  const none = t("customers.detail.profile.none");
  if (shopify.state !== "ok") {
    return (
      <TitledCard title={t("customers.detail.profile.title")} testId="customer-profile">
        {shopify.state === "error" ? (
          <Banner tone="warning">{t("customers.detail.profile.unavailable", { error: shopify.error })}</Banner>
        ) : (
          <Text as="p" tone="subdued">
            {t(shopify.state === "not_found" ? "customers.detail.profile.notFound" : "customers.detail.profile.unlinked")}
          </Text>
        )}
      </TitledCard>
    );
  }
  const { profile, orders } = shopify.data;
  return (
    <TitledCard title={t("customers.detail.profile.title")} testId="customer-profile">
      <BlockStack gap="200">
        <Field label={t("customers.detail.profile.email")} value={profile.email ?? none} />
        <Field label={t("customers.detail.profile.phone")} value={profile.phone ?? none} />
        <Field
          label={t("customers.detail.profile.tags")}
          value={
            profile.tags.length ? (
              <InlineStack gap="100" align="end">
                {profile.tags.map((tag) => (
                  <Badge key={tag}>{tag}</Badge>
                ))}
              </InlineStack>
            ) : (
              none
            )
          }
        />
        <Field label={t("customers.detail.profile.preferredChannel")} value={profile.preferredChannel ? t(CHANNEL_LABEL[profile.preferredChannel]) : none} />
        <Field label={t("customers.detail.profile.usualSize")} value={profile.usualSize ?? none} />
      </BlockStack>
      <Divider />
      <Text as="h3" variant="headingSm">
        {t("customers.detail.orders.title")}
      </Text>
      {orders.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("customers.detail.orders.none")}
        </Text>
      ) : (
        orders.map((order) => <Field key={order.id} label={`${order.name} · ${formatDate(order.createdAt, locale, timeZone)}`} value={formatMoney(order.total, locale)} />)
      )}
    </TitledCard>
  );
}

function Channels({ detail, formatting }: { detail: Detail; formatting: WhenFormatting }) {
  const { t } = formatting;
  return (
    <TitledCard title={t("customers.detail.identities.title")} testId="customer-channels">
      <BlockStack gap="100">
        {detail.identities.map((i) => (
          <Text as="p" key={i.id}>
            {[i.phone, i.email].filter(Boolean).join(" · ")}
          </Text>
        ))}
        <InlineStack gap="100">
          {[...new Set(detail.conversations.map((c) => c.channel))].map((channel) => (
            <Badge key={channel}>{t(CHANNEL_LABEL[channel])}</Badge>
          ))}
        </InlineStack>
        {detail.firstContactAt ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {t("customers.detail.identities.firstContact", { when: formatWhen(detail.firstContactAt, formatting) })}
          </Text>
        ) : null}
      </BlockStack>
      <Divider />
      <div data-testid="customer-consent">
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            {t("customers.detail.consent.title")}
          </Text>
          {detail.consents.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("customers.detail.consent.none")}
            </Text>
          ) : (
            detail.consents.map((k) => (
              <BlockStack key={`${k.channel}-${k.address}-${k.sender}`} gap="050">
                <InlineStack gap="100" blockAlign="center">
                  <Badge>{t(CHANNEL_LABEL[k.channel])}</Badge>
                  <Badge tone={k.status === "opted_out" ? "critical" : "success"}>{t(k.status === "opted_out" ? "customers.detail.consent.optedOut" : "customers.detail.consent.optedIn")}</Badge>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t("customers.detail.consent.since", { when: formatWhen(k.at, formatting) })}
                  </Text>
                </InlineStack>
                <Text as="p" variant="bodySm">
                  {t("customers.detail.consent.line", { address: k.address, sender: k.sender === "*" ? t("customers.detail.consent.allSenders") : k.sender })}
                </Text>
              </BlockStack>
            ))
          )}
        </BlockStack>
      </div>
    </TitledCard>
  );
}

function holdItems(hold: CustomerHold): string {
  return hold.items.map((i) => [i.productTitle, i.size, i.quantity > 1 ? `×${i.quantity}` : null].filter(Boolean).join(" ")).join(", ");
}

function Holds({ detail, formatting }: { detail: Detail; formatting: WhenFormatting }) {
  const { t } = formatting;
  const list = (holds: CustomerHold[], heading: TranslationKey) =>
    holds.length === 0 ? null : (
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {t(heading)}
        </Text>
        {holds.map((h) => (
          <BlockStack key={h.id} gap="050">
            <InlineStack gap="100" blockAlign="center">
              <Text as="span" fontWeight="semibold">
                {h.draftOrderName ?? ""}
              </Text>
              <Badge tone={h.status === "active" ? "success" : undefined}>{t(HOLD_STATUS[h.status])}</Badge>
            </InlineStack>
            <Text as="p">{holdItems(h)}</Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {t("customers.detail.holds.until", { when: formatWhen(h.expiresAt, formatting) })}
            </Text>
          </BlockStack>
        ))}
      </BlockStack>
    );
  return (
    <TitledCard title={t("customers.detail.holds.title")} testId="customer-holds">
      {detail.activeHolds.length + detail.pastHolds.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("customers.detail.holds.none")}
        </Text>
      ) : (
        <>
          {list(detail.activeHolds, "customers.detail.holds.active")}
          {list(detail.pastHolds, "customers.detail.holds.past")}
        </>
      )}
    </TitledCard>
  );
}

function Timeline({ entries, customerName, formatting }: { entries: TimelineEntry[]; customerName: string; formatting: WhenFormatting }) {
  const { t } = formatting;
  return (
    <TitledCard title={t("customers.detail.timeline.title")} testId="customer-timeline">
      {entries.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("customers.detail.timeline.empty")}
        </Text>
      ) : (
        entries.map((entry) => <TimelineItem key={`${entry.kind}-${entry.id}`} entry={entry} customerName={customerName} formatting={formatting} />)
      )}
    </TitledCard>
  );
}

function TimelineItem({ entry, customerName, formatting }: { entry: TimelineEntry; customerName: string; formatting: WhenFormatting }) {
  const { t } = formatting;
  const when = (
    <Text as="span" variant="bodySm" tone="subdued">
      {formatWhen(entry.at, formatting)}
    </Text>
  );
  if (entry.kind === "hold") {
    return (
      <Box padding="300" background="bg-surface-warning" borderRadius="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="span">{t("customers.detail.timeline.hold", { name: entry.hold.draftOrderName ?? "", items: holdItems(entry.hold) })}</Text>
          <Badge>{t(HOLD_STATUS[entry.hold.status])}</Badge>
          {when}
        </InlineStack>
      </Box>
    );
  }
  if (entry.kind === "scheduled") {
    return (
      <Box padding="300" background="bg-surface-secondary" borderRadius="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="span">{t("customers.detail.timeline.scheduled", { type: t(SCHEDULED_TYPE[entry.type]) })}</Text>
          {entry.channel ? <Badge>{t(CHANNEL_LABEL[entry.channel])}</Badge> : null}
          <Badge>{t(SCHEDULED_STATUS[entry.status])}</Badge>
          {when}
        </InlineStack>
      </Box>
    );
  }
  return <MessageView message={entry.message} customer={customerName} formatting={formatting} />;
}

/** A text field whose error is said under it and whose text stays until the server took it. */
type Answer = { note: NoteResult; send: SendResult };

function useSubmittedText<I extends keyof Answer>(intent: I, onDone: (result: Answer[I]) => void) {
  const fetcher = useFetcher<typeof action>();
  const [text, setText] = useState("");
  const data = fetcher.state === "idle" ? fetcher.data : undefined;
  // The fetcher posts this intent only: its answer is this intent's result.
  const result = data && data.intent === intent && "result" in data ? (data.result as Answer[I]) : undefined;
  // Said once per answer from the server (the callback is a new closure at every render).
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    if (!result) return;
    if (result.ok) setText("");
    done.current(result);
  }, [result]);
  return { fetcher, text, setText, result, busy: fetcher.state !== "idle" };
}

function Notes({ note, linked }: { note: string | null; linked: boolean }) {
  const t = useT();
  const shopify = useAppBridge();
  const [shown, setShown] = useState(note);
  const { fetcher, text, setText, result, busy } = useSubmittedText("note", (r) => {
    if (r.ok) {
      setShown(r.note);
      shopify.toast.show(t("customers.detail.notes.saved"));
    }
  });
  const tooLong = text.trim().length > NOTE_MAX_LENGTH;
  const error = tooLong
    ? t("customers.detail.notes.errors.tooLong", { max: NOTE_MAX_LENGTH, count: text.trim().length })
    : result && !result.ok
      ? t(NOTE_ERROR[result.reason], { max: NOTE_MAX_LENGTH, count: text.trim().length, error: result.error ?? "?" })
      : undefined;
  return (
    <TitledCard title={t("customers.detail.notes.title")} testId="customer-notes">
      {shown ? (
        <Text as="p">
          <span style={{ whiteSpace: "pre-wrap" }} data-testid="customer-note">
            {shown}
          </span>
        </Text>
      ) : (
        <Text as="p" tone="subdued">
          {t("customers.detail.notes.empty")}
        </Text>
      )}
      <TextField label={t("customers.detail.notes.label")} value={text} onChange={setText} multiline={3} autoComplete="off" helpText={t("customers.detail.notes.help")} error={error} disabled={!linked} />
      <InlineStack align="end">
        <Button onClick={() => fetcher.submit({ intent: "note", note: text }, { method: "post" })} loading={busy} disabled={busy || tooLong || !linked}>
          {t("customers.detail.notes.add")}
        </Button>
      </InlineStack>
    </TitledCard>
  );
}

function SendMessage({ detail }: { detail: Detail }) {
  const t = useT();
  const shopify = useAppBridge();
  const { fetcher, text, setText, result, busy } = useSubmittedText("send", (r) => {
    if (r.ok && r.status === "failed") shopify.toast.show(t("customers.detail.send.failed", { error: r.error ?? "?" }), { isError: true });
    else if (r.ok) shopify.toast.show(t(r.status === "outbox" ? "customers.detail.send.outbox" : "customers.detail.send.sent"));
  });
  const { messaging } = detail;
  const channel = messaging.channel;
  const refused = "refused" in messaging;
  const channelName = channel ? t(CHANNEL_LABEL[channel]) : "";
  const tooLong = text.trim().length > MESSAGE_MAX_LENGTH;
  const error = tooLong
    ? t("customers.detail.send.errors.tooLong", { max: MESSAGE_MAX_LENGTH, count: text.trim().length })
    : result && !result.ok
      ? t(SEND_ERROR[result.reason], { max: MESSAGE_MAX_LENGTH, count: text.trim().length, channel: channelName })
      : undefined;
  return (
    <TitledCard title={t("customers.detail.send.title")} testId="customer-send">
      {"refused" in messaging ? (
        <Banner tone="warning">{t(SEND_ERROR[messaging.refused], { channel: channelName })}</Banner>
      ) : (
        <Text as="p" tone="subdued" variant="bodySm">
          {t("customers.detail.send.via", { channel: channelName, to: messaging.to })}
        </Text>
      )}
      <TextField label={t("customers.detail.send.label")} value={text} onChange={setText} multiline={3} autoComplete="off" error={error} />
      <InlineStack align="end">
        <Button variant="primary" onClick={() => fetcher.submit({ intent: "send", body: text }, { method: "post" })} loading={busy} disabled={busy || tooLong || refused}>
          {t("customers.detail.send.action")}
        </Button>
      </InlineStack>
    </TitledCard>
  );
}
