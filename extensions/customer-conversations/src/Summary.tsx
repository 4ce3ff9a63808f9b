/**
 * The block's body, the same on the customer and the order pages: the latest conversation with a
 * link to its thread, the active holds, the consent per channel.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { fetchCustomerSummary, threadHref, type CustomerSummary, type SummaryChannel, type SummaryConsent } from "./summary-api";

/** What the block needs of the target's API (both targets give the same). */
export interface BlockApi {
  i18n: { translate: (key: string, options?: Record<string, string | number>) => string; formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) => string };
}

const CHANNELS: readonly SummaryChannel[] = ["sms", "whatsapp", "email"];
const CONSENT_TONE: Record<SummaryConsent, "success" | "critical" | "neutral"> = { granted: "success", withdrawn: "critical", unknown: "neutral" };

type State = { kind: "loading" } | { kind: "failed" } | { kind: "loaded"; summary: CustomerSummary };

/** `customerId` null: the order has no customer (a guest checkout); undefined: still looking. */
export function Summary({ api, customerId }: { api: BlockApi; customerId: string | null | undefined }) {
  const t = api.i18n.translate;
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    if (!customerId) return;
    let current = true;
    setState({ kind: "loading" });
    fetchCustomerSummary(customerId)
      .then((summary) => current && setState({ kind: "loaded", summary }))
      .catch(() => current && setState({ kind: "failed" }));
    return () => {
      current = false;
    };
  }, [customerId]);

  const when = (iso: string) => api.i18n.formatDate(new Date(iso), { dateStyle: "medium", timeStyle: "short" });

  if (customerId === null) return <Block t={t}><s-paragraph>{t("block.noCustomer")}</s-paragraph></Block>;
  if (customerId === undefined || state.kind === "loading") return <Block t={t}><s-spinner accessibilityLabel={t("block.loading")} /></Block>;
  if (state.kind === "failed") return <Block t={t}><s-banner tone="critical" heading={t("block.failed")} /></Block>;

  const { summary } = state;
  if (!summary.customer) return <Block t={t}><s-paragraph>{t("block.neverWrote")}</s-paragraph></Block>;
  const conversation = summary.latestConversation;
  return (
    <Block t={t} summary={conversation ? t(`channel.${conversation.channel}`) : undefined}>
      <s-stack gap="base">
        <s-stack gap="small">
          <s-heading>{t("conversation.heading")}</s-heading>
          {conversation ? (
            <s-stack gap="small">
              <s-stack direction="inline" gap="small">
                <s-badge>{t(`channel.${conversation.channel}`)}</s-badge>
                <s-badge tone={conversation.status === "needs_merchant" ? "warning" : "neutral"}>{t(`status.${conversation.status}`)}</s-badge>
                {conversation.aiPaused ? <s-badge tone="info">{t("conversation.aiPaused")}</s-badge> : null}
              </s-stack>
              {conversation.lastMessage ? (
                <s-paragraph>
                  <s-text type="strong">{t(`author.${conversation.lastMessage.author}`)}</s-text> {conversation.lastMessage.body}
                </s-paragraph>
              ) : null}
              <s-text color="subdued">{when(conversation.lastMessageAt)}</s-text>
              <s-link href={threadHref(conversation.inboxPath)}>{t("conversation.open")}</s-link>
            </s-stack>
          ) : (
            <s-paragraph>{t("conversation.none")}</s-paragraph>
          )}
        </s-stack>
        <s-divider />
        <s-stack gap="small">
          <s-heading>{t("holds.heading")}</s-heading>
          {summary.activeHolds.length === 0 ? <s-paragraph>{t("holds.none")}</s-paragraph> : null}
          {summary.activeHolds.map((hold) => (
            <s-stack key={hold.id} gap="small-300">
              <s-text type="strong">
                {hold.items.map((i) => (i.size ? t("holds.itemWithSize", { product: i.productTitle, size: i.size, count: i.quantity }) : t("holds.item", { product: i.productTitle, count: i.quantity }))).join(", ")}
              </s-text>
              <s-text color="subdued">{t("holds.until", { date: when(hold.expiresAt), draftOrder: hold.draftOrderName ?? "" })}</s-text>
            </s-stack>
          ))}
        </s-stack>
        <s-divider />
        <s-stack gap="small">
          <s-heading>{t("consent.heading")}</s-heading>
          <s-stack direction="inline" gap="small">
            {CHANNELS.map((channel) => (
              <s-badge key={channel} tone={CONSENT_TONE[summary.consent[channel]]}>
                {t(`consent.${summary.consent[channel]}`, { channel: t(`channel.${channel}`) })}
              </s-badge>
            ))}
          </s-stack>
        </s-stack>
      </s-stack>
    </Block>
  );
}

function Block({ t, summary, children }: { t: BlockApi["i18n"]["translate"]; summary?: string; children: ComponentChildren }) {
  return (
    <s-admin-block heading={t("block.heading")} collapsedSummary={summary}>
      {children}
    </s-admin-block>
  );
}
