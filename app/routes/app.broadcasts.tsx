/**
 * Broadcasts: a new one written, previewed (recipients after consent filtering, channel split and
 * estimated cost, before anything is sent) and scheduled — sent in marketing hours only — and the
 * shop's broadcasts with their progress (queued / sent / delivered / failed), cancellable until
 * everything has gone. A refused form says what to fix on each field and keeps what she wrote.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptyState, FormLayout, IndexTable, InlineStack, Layout, Page, ProgressBar, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useRef, useState } from "react";
import { useRefreshAfter } from "~/components/use-refresh-after";
import { countSmsSegments } from "~/conversation/reply/sms";
import { intlLocale, type TranslationKey } from "~/i18n";
import { formatWhen, type WhenFormatting } from "~/i18n/format";
import { useLocale, useT } from "~/i18n/react";
import { broadcastState, broadcastsRefreshDelay, type BroadcastState } from "~/messaging/broadcast-list";
import { BROADCAST_LIMITS, SEGMENT_KINDS, readBroadcastForm, type BroadcastFormValues, type SegmentKind } from "~/messaging/broadcast-form";
import type { BroadcastFormResult, BroadcastListItem, BroadcastPreview } from "~/messaging/broadcasts-page.server";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { broadcastsPage } = context.services;
  const now = broadcastsPage.now().toISOString();
  const shop = await broadcastsPage.shop(session.shop);
  if (!shop) return { timeZone: "UTC", now, broadcasts: [] as BroadcastListItem[] };
  return { timeZone: shop.timezone, now, broadcasts: await broadcastsPage.list(shop.id) };
};

type ActionData =
  | { intent: "preview" | "schedule"; values: BroadcastFormValues; result: BroadcastFormResult }
  | { intent: "cancel"; broadcastId: string; ok: boolean };

export const action = async ({ request, context }: ActionFunctionArgs): Promise<ActionData | null> => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { broadcastsPage } = context.services;
  const shop = await broadcastsPage.shop(session.shop);
  const form = await request.formData();
  const intent = form.get("intent");
  if (!shop) return null;
  if (intent === "cancel") {
    const broadcastId = String(form.get("broadcastId") ?? "");
    return { intent, broadcastId, ok: await broadcastsPage.cancel(shop.id, broadcastId) };
  }
  const values = readBroadcastForm(form);
  if (intent === "preview") return { intent, values, result: await broadcastsPage.preview(shop, values) };
  if (intent === "schedule") return { intent, values, result: await broadcastsPage.schedule(shop, values) };
  return null;
};

const SEGMENT_LABEL: Record<SegmentKind, TranslationKey> = {
  all: "broadcasts.segment.all",
  vip: "broadcasts.segment.vip",
  active: "broadcasts.segment.active",
  prospect: "broadcasts.segment.prospect",
  tag: "broadcasts.segment.tag",
  bought: "broadcasts.segment.bought",
};
type FormErrorCode = NonNullable<Extract<BroadcastFormResult, { ok: false }>["errors"][keyof Extract<BroadcastFormResult, { ok: false }>["errors"]]>;
const ERROR_TEXT: Record<FormErrorCode, TranslationKey> = {
  name_missing: "broadcasts.errors.name_missing",
  name_too_long: "broadcasts.errors.name_too_long",
  segment_unknown: "broadcasts.errors.segment_unknown",
  tag_missing: "broadcasts.errors.tag_missing",
  product_missing: "broadcasts.errors.product_missing",
  segment_value_too_long: "broadcasts.errors.segment_value_too_long",
  text_missing: "broadcasts.errors.text_missing",
  text_too_long: "broadcasts.errors.text_too_long",
  send_at_invalid: "broadcasts.errors.send_at_invalid",
  send_at_past: "broadcasts.errors.send_at_past",
  no_recipients: "broadcasts.errors.no_recipients",
  shopify_failed: "broadcasts.errors.shopify_failed",
};
/** The reasons prepareBroadcast gives for leaving a customer out. */
const EXCLUDED_TEXT: Record<string, TranslationKey> = {
  "not in the segment": "broadcasts.excluded.notInSegment",
  "no marketing consent on a connected channel": "broadcasts.excluded.noConsent",
  "opted out": "broadcasts.excluded.optedOut",
};
const STATE_BADGE: Record<BroadcastState, { label: TranslationKey; tone?: "success" | "info" | "attention" }> = {
  cancelled: { label: "broadcasts.status.cancelled" },
  draft: { label: "broadcasts.status.draft" },
  done: { label: "broadcasts.status.done", tone: "success" },
  sending: { label: "broadcasts.status.sending", tone: "attention" },
  scheduled: { label: "broadcasts.status.scheduled", tone: "info" },
};
const CHANNEL_LABEL = { sms: "channel.sms", whatsapp: "channel.whatsapp", email: "channel.email" } as const satisfies Record<string, TranslationKey>;
const EMPTY_FORM: BroadcastFormValues = { name: "", segmentKind: "vip", segmentValue: "", text: "", sendAt: "" };

function sameValues(a: BroadcastFormValues, b: BroadcastFormValues): boolean {
  return a.name === b.name && a.segmentKind === b.segmentKind && a.segmentValue === b.segmentValue && a.text === b.text && a.sendAt === b.sendAt;
}

function money(amount: number, currency: string, locale: "en" | "fr"): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: "currency", currency, maximumFractionDigits: 2 }).format(amount);
}

function segmentText(segment: BroadcastListItem["segment"], t: WhenFormatting["t"]): string {
  if (segment.kind === "tag") return t("broadcasts.segment.tagValue", { tag: segment.tag });
  if (segment.kind === "bought") return t("broadcasts.segment.boughtValue", { product: segment.product });
  return t(SEGMENT_LABEL[segment.kind]);
}

export default function BroadcastsPage() {
  const { timeZone, now, broadcasts } = useLoaderData<typeof loader>();
  // The worker sends and the providers report while she watches: the progress moves by itself.
  useRefreshAfter(broadcastsRefreshDelay(broadcasts, now));
  const t = useT();
  const locale = useLocale();
  const shopify = useAppBridge();
  const formFetcher = useFetcher<typeof action>();
  const cancelFetcher = useFetcher<typeof action>();
  const [values, setValues] = useState<BroadcastFormValues>(EMPTY_FORM);
  const formatting: WhenFormatting = { t, locale, timeZone, now };

  const formResult = formFetcher.state === "idle" && formFetcher.data && formFetcher.data.intent !== "cancel" ? formFetcher.data : undefined;
  const cancelResult = cancelFetcher.state === "idle" && cancelFetcher.data?.intent === "cancel" ? cancelFetcher.data : undefined;

  // A scheduled broadcast empties the form; said once per result (the page reloads after it).
  const said = useRef<unknown>(null);
  useEffect(() => {
    if (formResult && formResult !== said.current && formResult.intent === "schedule" && formResult.result.ok) {
      said.current = formResult;
      setValues(EMPTY_FORM);
      shopify.toast.show(t("broadcasts.done.scheduled", { count: formResult.result.preview.recipients }));
    }
    if (cancelResult && cancelResult !== said.current && cancelResult.ok) {
      said.current = cancelResult;
      shopify.toast.show(t("broadcasts.done.cancelled"));
    }
  }, [formResult, cancelResult, shopify, t]);

  const set = (field: keyof BroadcastFormValues) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const submit = (intent: "preview" | "schedule") => formFetcher.submit({ intent, ...values }, { method: "post" });
  const busy = formFetcher.state !== "idle";

  // The preview shown is the one of the values in the form; after a change she previews again.
  const lastPreview = formResult && formResult.intent === "preview" ? formResult : undefined;
  const preview: BroadcastPreview | undefined = lastPreview?.result.ok ? lastPreview.result.preview : lastPreview?.result.preview;
  const previewIsCurrent = lastPreview !== undefined && sameValues(lastPreview.values, values);
  const canSchedule = previewIsCurrent && lastPreview.result.ok;
  const errors = formResult && !formResult.result.ok && sameValues(formResult.values, values) ? formResult.result.errors : {};
  const fieldError = (field: keyof typeof errors) => {
    const code = errors[field];
    return code ? t(ERROR_TEXT[code]) : undefined;
  };
  const hasErrors = formResult !== undefined && !formResult.result.ok && sameValues(formResult.values, values);
  const sms = countSmsSegments(values.text.trim());
  const needsValue = values.segmentKind === "tag" || values.segmentKind === "bought";

  const rows = broadcasts.map((b, index) => {
    const p = b.progress;
    const handled = p.sent + p.delivered + p.failed;
    const total = p.recipients - p.cancelled;
    const status = STATE_BADGE[broadcastState(b)];
    const cancellable = b.status === "draft" || (b.status === "scheduled" && p.queued > 0);
    return (
      <IndexTable.Row id={b.id} key={b.id} position={index}>
        <IndexTable.Cell>
          <BlockStack gap="050">
            <Text as="span" fontWeight="semibold">
              {b.name}
            </Text>
            <Box maxWidth="22rem">
              <Text as="span" variant="bodySm" tone="subdued" truncate>
                {b.text}
              </Text>
            </Box>
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack gap="050">
            <Text as="span">{segmentText(b.segment, t)}</Text>
            <Text as="span" variant="bodySm" tone="subdued">
              {t("broadcasts.preview.recipients", { count: b.recipientCount })} · {money(b.estimatedCost, "EUR", locale)}
            </Text>
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Text as="span" numeric>
            {formatWhen(b.sendAt, formatting)}
          </Text>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Badge tone={status.tone}>{t(status.label)}</Badge>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <div data-testid="broadcast-progress">
            <BlockStack gap="100">
              <Box minWidth="12rem">
                <ProgressBar progress={total > 0 ? Math.round((handled / total) * 100) : 0} size="small" tone={p.failed > 0 ? "critical" : "primary"} />
              </Box>
              <Text as="span" variant="bodySm">
                {t("broadcasts.progress", { queued: p.queued, sent: p.sent, delivered: p.delivered, failed: p.failed })}
              </Text>
              {p.cancelled > 0 ? (
                <Text as="span" variant="bodySm" tone="subdued">
                  {t("broadcasts.progress.cancelled", { cancelled: p.cancelled })}
                </Text>
              ) : null}
            </BlockStack>
          </div>
        </IndexTable.Cell>
        <IndexTable.Cell>
          {cancellable ? (
            <Button
              size="slim"
              tone="critical"
              variant="plain"
              onClick={() => cancelFetcher.submit({ intent: "cancel", broadcastId: b.id }, { method: "post" })}
              loading={cancelFetcher.state !== "idle" && cancelFetcher.formData?.get("broadcastId") === b.id}
            >
              {t("broadcasts.cancel")}
            </Button>
          ) : null}
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  return (
    <Page title={t("broadcasts.title")}>
      <TitleBar title={t("broadcasts.title")} />
      <Layout>
        {cancelResult && !cancelResult.ok ? (
          <Layout.Section>
            <Banner tone="critical">{t("broadcasts.errors.not_cancelled")}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <div data-testid="broadcast-form">
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {t("broadcasts.new")}
                </Text>
                {hasErrors ? (
                  <Banner tone="critical">
                    <p>{errors.form ? t(ERROR_TEXT[errors.form]) : t("broadcasts.errors.summary")}</p>
                  </Banner>
                ) : null}
                <FormLayout>
                  <TextField
                    label={t("broadcasts.form.name")}
                    value={values.name}
                    onChange={set("name")}
                    autoComplete="off"
                    maxLength={BROADCAST_LIMITS.name}
                    helpText={t("broadcasts.form.nameHelp")}
                    error={fieldError("name")}
                  />
                  <FormLayout.Group>
                    <Select
                      label={t("broadcasts.form.segment")}
                      options={SEGMENT_KINDS.map((kind) => ({ value: kind, label: t(SEGMENT_LABEL[kind]) }))}
                      value={values.segmentKind}
                      onChange={set("segmentKind")}
                      error={needsValue ? undefined : fieldError("segment")}
                    />
                    {needsValue ? (
                      <TextField
                        label={t(values.segmentKind === "tag" ? "broadcasts.form.tag" : "broadcasts.form.product")}
                        value={values.segmentValue}
                        onChange={set("segmentValue")}
                        autoComplete="off"
                        error={fieldError("segment")}
                      />
                    ) : null}
                  </FormLayout.Group>
                  <TextField
                    label={t("broadcasts.form.text")}
                    value={values.text}
                    onChange={set("text")}
                    multiline={4}
                    autoComplete="off"
                    helpText={t("broadcasts.form.textHelp", { count: values.text.trim().length, max: BROADCAST_LIMITS.text, segments: sms.segments, encoding: sms.encoding })}
                    error={fieldError("text")}
                  />
                  <Box maxWidth="22rem">
                    <TextField
                      label={t("broadcasts.form.sendAt", { timeZone })}
                      type="datetime-local"
                      value={values.sendAt}
                      onChange={set("sendAt")}
                      autoComplete="off"
                      helpText={t("broadcasts.form.sendAtHelp")}
                      error={fieldError("sendAt")}
                    />
                  </Box>
                </FormLayout>
                {preview ? (
                  <div data-testid="broadcast-preview">
                    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
                      <BlockStack gap="100">
                        <Text as="h3" variant="headingSm">
                          {t("broadcasts.preview.title")}
                        </Text>
                        <Text as="p" fontWeight="semibold">
                          {t("broadcasts.preview.recipients", { count: preview.recipients })}
                        </Text>
                        <Text as="p">
                          {t("broadcasts.preview.channels", {
                            split: (Object.keys(CHANNEL_LABEL) as Array<keyof typeof CHANNEL_LABEL>)
                              .map((c) => t("broadcasts.preview.channel", { channel: t(CHANNEL_LABEL[c]), count: preview.byChannel[c] }))
                              .join(" · "),
                          })}
                        </Text>
                        <Text as="p">{t("broadcasts.preview.cost", { amount: money(preview.estimatedCost.amount, preview.estimatedCost.currency, locale) })}</Text>
                        {Object.keys(preview.excluded).length > 0 ? (
                          <Text as="p" tone="subdued">
                            {t("broadcasts.preview.excluded", {
                              reasons: Object.entries(preview.excluded)
                                .map(([reason, count]) => t("broadcasts.preview.reason", { count, reason: EXCLUDED_TEXT[reason] ? t(EXCLUDED_TEXT[reason]) : reason }))
                                .join(", "),
                            })}
                          </Text>
                        ) : null}
                        {!previewIsCurrent ? (
                          <Text as="p" tone="caution">
                            {t("broadcasts.preview.stale")}
                          </Text>
                        ) : null}
                      </BlockStack>
                    </Box>
                  </div>
                ) : null}
                <InlineStack gap="200" align="end">
                  <Button onClick={() => submit("preview")} loading={busy && formFetcher.formData?.get("intent") === "preview"} disabled={busy}>
                    {t("broadcasts.form.preview")}
                  </Button>
                  <Button variant="primary" onClick={() => submit("schedule")} loading={busy && formFetcher.formData?.get("intent") === "schedule"} disabled={busy || !canSchedule}>
                    {t("broadcasts.form.schedule")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </div>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <Text as="h2" variant="headingMd">
                {t("broadcasts.list.title")}
              </Text>
            </Box>
            <div data-testid="broadcast-list">
              <IndexTable
                resourceName={{ singular: t("broadcasts.resource.singular"), plural: t("broadcasts.resource.plural") }}
                itemCount={broadcasts.length}
                selectable={false}
                headings={[
                  { title: t("broadcasts.columns.name") },
                  { title: t("broadcasts.columns.segment") },
                  { title: t("broadcasts.columns.sendAt") },
                  { title: t("broadcasts.columns.status") },
                  { title: t("broadcasts.columns.progress") },
                  { title: t("broadcasts.columns.actions") },
                ]}
                emptyState={
                  <EmptyState heading={t("broadcasts.list.emptyHeading")} image="">
                    <p>{t("broadcasts.list.emptyText")}</p>
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
