/**
 * Settings: one page, one tab per subject (channels, AI, policies, plugins, templates; the tab is in
 * the URL). Every form posts to this route's action, which the settings service checks field by
 * field: an error is shown under its field in the admin's language, the form keeps what she typed,
 * and a banner confirms a save. The Channels tab also lists the app's WhatsApp templates to submit
 * for approval and registers the shop's approved ones (their Content SID or Meta name).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, ChoiceList, InlineGrid, InlineStack, Layout, Page, Select, Tabs, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { TitledCard } from "~/components/titled-card";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import type { TranslationKey } from "~/i18n";
import { formatWhen } from "~/i18n/format";
import { localeOf } from "~/i18n/i18n.server";
import { useLocale, useT } from "~/i18n/react";
import { INTENT_KEY } from "~/inbox/cards";
import { TEMPLATE_LABEL, VARIABLE_LABEL } from "~/inbox/whatsapp-templates";
import type { IntegrationPluginId } from "~/plugins/installations.server";
import {
  AUTOMATION_LEVELS,
  CHANNEL_FORMS,
  CHANNEL_PROVIDERS,
  formValues,
  HOLD_MODES,
  INTENTS,
  isRegistrationFor,
  LANGUAGES,
  PLUGIN_FORMS,
  TEMPLATE_CHANNELS,
  WEEKDAYS,
  type ChannelProvider,
  type FieldError,
  type FieldErrors,
  type SettingField,
  type TemplateForm,
} from "~/settings/forms";
import type { InstalledView, SaveOutcome } from "~/settings/settings.server";
import { previewTemplate, PROACTIVE_TEMPLATE_IDS, REPLY_TEMPLATE_IDS } from "~/settings/template-preview";

export const SECTIONS = ["channels", "ai", "policies", "plugins", "templates"] as const;
type Section = (typeof SECTIONS)[number];

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { settings } = context.services;
  const shop = await settings.shop(session.shop);
  if (!shop) throw new Response("shop not installed", { status: 404 });
  return { now: settings.now().toISOString(), view: await settings.view(shop.id) };
};

type ActionResult =
  | { form: string; ok: true; message: FieldError }
  | { form: string; ok: false; fieldErrors: FieldErrors; formError?: FieldError; message?: FieldError };

export const action = async ({ request, context }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await context.services.shopify.authenticate.admin(request);
  const { settings } = context.services;
  const shop = await settings.shop(session.shop);
  const values = formValues(await request.formData());
  const intent = typeof values.intent === "string" ? values.intent : "";
  const form = typeof values.form === "string" ? values.form : intent;
  if (!shop) return { form, ok: false, fieldErrors: {}, formError: { key: "settings.errors.invalid" } };
  const outcome = (result: SaveOutcome): ActionResult => ({ form, ...result });
  const provider = CHANNEL_PROVIDERS.find((p) => p === values.provider);
  const pluginId = PLUGIN_FORMS.find((p) => p.pluginId === values.pluginId)?.pluginId;
  switch (intent) {
    case "ai":
      return outcome(await settings.saveAi(shop.id, values));
    case "policies":
      return outcome(await settings.savePolicies(shop.id, values));
    case "template":
      return outcome(await settings.saveTemplate(shop.id, values));
    case "channel":
      if (provider) return outcome(await settings.saveChannel(shop.id, provider, values));
      break;
    case "disconnect":
      if (provider) return outcome(await settings.disconnectChannel(shop.id, provider));
      break;
    case "testMessage": {
      const sent = await settings.sendTestMessage(shop.id, values, localeOf(request));
      return sent.ok ? { form, ok: true, message: sent.message } : { form, ok: false, fieldErrors: sent.fieldErrors ?? {}, formError: sent.message };
    }
    case "registerWhatsappTemplate":
      return outcome(await settings.registerWhatsappTemplate(shop.id, values));
    case "removeWhatsappTemplate":
      return outcome(await settings.removeWhatsappTemplate(shop.id, values));
    case "plugin":
      if (pluginId) return outcome(await settings.savePlugin(shop.id, pluginId, values));
      break;
    case "testPlugin":
      if (pluginId) {
        const result = await settings.testPlugin(shop.id, pluginId);
        return result.ok
          ? { form, ok: true, message: { key: "settings.plugins.testOk" } }
          : { form, ok: false, fieldErrors: {}, formError: { key: "settings.plugins.testFailed", vars: { reason: result.reason } } };
      }
      break;
    case "removePlugin":
      if (pluginId) return outcome(await settings.removePlugin(shop.id, pluginId));
      break;
  }
  return { form, ok: false, fieldErrors: {}, formError: { key: "settings.errors.invalid" } };
};

type View = ReturnType<typeof useLoaderData<typeof loader>>["view"];

const SECTION_LABEL: Record<Section, TranslationKey> = {
  channels: "settings.tabs.channels",
  ai: "settings.tabs.ai",
  policies: "settings.tabs.policies",
  plugins: "settings.tabs.plugins",
  templates: "settings.tabs.templates",
};

export default function Settings() {
  const { view, now } = useLoaderData<typeof loader>();
  const t = useT();
  const [params, setParams] = useSearchParams();
  const section = SECTIONS.find((s) => s === params.get("section")) ?? "channels";
  const select = (index: number) => {
    const next = new URLSearchParams(params);
    next.set("section", SECTIONS[index] ?? "channels");
    setParams(next, { replace: true, preventScrollReset: true });
  };
  return (
    <Page title={t("settings.title")}>
      <TitleBar title={t("settings.title")} />
      <BlockStack gap="400">
        <Card padding="0">
          <Tabs tabs={SECTIONS.map((id) => ({ id, content: t(SECTION_LABEL[id]) }))} selected={SECTIONS.indexOf(section)} onSelect={select} />
        </Card>
        {!view.canStoreSecrets && (section === "channels" || section === "plugins") ? <Banner tone="warning">{t("settings.errors.noSecretsKey")}</Banner> : null}
        {section === "channels" ? <ChannelsSection view={view} /> : null}
        {section === "ai" ? <AiSection view={view} /> : null}
        {section === "policies" ? <PoliciesSection view={view} /> : null}
        {section === "plugins" ? <PluginsSection view={view} now={now} /> : null}
        {section === "templates" ? <TemplatesSection view={view} /> : null}
      </BlockStack>
    </Page>
  );
}

// ───────────────────────────── shared pieces ─────────────────────────────

/** A form's fetcher and what its last submission said. */
function useSettingsForm(key: string) {
  const fetcher = useFetcher<typeof action>({ key });
  const result = fetcher.data?.form === key ? fetcher.data : undefined;
  const t = useT();
  const errorOf = (name: string) => {
    const error = result && !result.ok ? result.fieldErrors[name] : undefined;
    return error ? t(error.key, error.vars) : undefined;
  };
  return { fetcher, result, errorOf, busy: fetcher.state !== "idle" };
}

function Outcome({ result }: { result: ActionResult | undefined }) {
  const t = useT();
  if (!result) return null;
  if (result.ok) return <Banner tone="success">{t(result.message.key, result.message.vars)}</Banner>;
  const message = result.formError ?? { key: "settings.errors.fixFields" as const };
  return <Banner tone="critical">{t(message.key, message.vars)}</Banner>;
}

/** Field values kept in the page: what she typed stays there whatever the server answers. */
function useValues(initial: Record<string, string>) {
  const [values, setValues] = useState(initial);
  const set = (name: string) => (value: string) => setValues((current) => ({ ...current, [name]: value }));
  return { values, set, setValues };
}

function SettingTextField({
  field,
  value,
  onChange,
  error,
  savedHint,
}: {
  field: SettingField;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  savedHint?: string | undefined;
}) {
  const t = useT();
  if (field.options) {
    return <Select label={t(field.label)} name={field.name} options={field.options.map((o) => ({ value: o.value, label: t(o.label) }))} value={value || (field.options[0]?.value ?? "")} onChange={onChange} error={error} />;
  }
  const help = field.secret && savedHint !== undefined ? t("settings.secret.saved", { last: savedHint ? `••••${savedHint}` : "••••" }) : field.help ? t(field.help) : undefined;
  return (
    <TextField
      label={t(field.label)}
      name={field.name}
      type={field.secret ? "password" : field.type === "number" ? "text" : (field.type ?? "text")}
      value={value}
      onChange={onChange}
      autoComplete="off"
      error={error}
      helpText={help}
      {...(field.type === "number" ? { inputMode: "decimal" as const } : {})}
    />
  );
}

/** A tab that is one form: its outcome on top, annotated sections, the save button at the end. */
function LayoutForm({ form, intent, children }: { form: Pick<ReturnType<typeof useSettingsForm>, "fetcher" | "result" | "busy">; intent: string; children: ReactNode }) {
  const t = useT();
  return (
    <form.fetcher.Form method="post" data-testid={`${intent}-form`}>
      <input type="hidden" name="intent" value={intent} />
      <BlockStack gap="400">
        <Outcome result={form.result} />
        <Layout>{children}</Layout>
        <InlineStack align="end">
          <Button submit variant="primary" loading={form.busy}>
            {t("settings.save")}
          </Button>
        </InlineStack>
      </BlockStack>
    </form.fetcher.Form>
  );
}

// ───────────────────────────── channels ─────────────────────────────

const CHANNEL_LABEL: Record<string, TranslationKey> = { sms: "channel.sms", whatsapp: "channel.whatsapp", email: "channel.email" };

function ChannelsSection({ view }: { view: View }) {
  const t = useT();
  return (
    <BlockStack gap="400">
      <TitledCard gap="400" title={t("settings.channels.accounts")}>
        {view.accounts.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("settings.channels.noAccounts")}
          </Text>
        ) : (
          <BlockStack gap="200">
            {view.accounts.map((account) => (
              <InlineStack key={account.id} gap="200" blockAlign="center">
                <Badge>{t(CHANNEL_LABEL[account.channel] ?? "channel.sms")}</Badge>
                <Text as="span">{account.address}</Text>
                <Text as="span" tone="subdued">
                  {t("home.channels.via", { provider: account.provider })}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        )}
      </TitledCard>
      {CHANNEL_PROVIDERS.map((provider) => (
        <ChannelForm key={provider} provider={provider} view={view} />
      ))}
      <WhatsappTemplatesCard view={view} />
      <TestMessageForm view={view} />
    </BlockStack>
  );
}

function ChannelForm({ provider, view }: { provider: ChannelProvider; view: View }) {
  const t = useT();
  const form = CHANNEL_FORMS[provider];
  const installed: InstalledView = view.channels[provider];
  const initial = useMemo(() => {
    const values: Record<string, string> = {};
    for (const field of form.fields) values[field.name] = field.secret ? "" : (installed.values[field.name] ?? "");
    for (const account of form.accounts) {
      values[account.name] = view.accounts.find((a) => a.provider === provider && a.channel === account.channel)?.address ?? "";
    }
    return values;
    // The form starts from what was stored when the page opened; later saves keep her own typing.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only on first render
  }, []);
  const { values, set } = useValues(initial);
  const { fetcher, result, errorOf, busy } = useSettingsForm(`channel-${provider}`);
  const disconnect = useFetcher<typeof action>({ key: `disconnect-${provider}` });
  return (
    <Card>
      <fetcher.Form method="post" data-testid={`channel-${provider}`}>
        <input type="hidden" name="intent" value="channel" />
        <input type="hidden" name="form" value={`channel-${provider}`} />
        <input type="hidden" name="provider" value={provider} />
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {t(form.title)}
            </Text>
            {installed.saved ? <Badge tone="success">{t("settings.status.connected")}</Badge> : <Badge>{t("settings.status.notConnected")}</Badge>}
          </InlineStack>
          <Outcome result={result} />
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {[...form.fields, ...form.accounts].map((field) => (
              <SettingTextField key={field.name} field={field} value={values[field.name] ?? ""} onChange={set(field.name)} error={errorOf(field.name)} savedHint={installed.secrets[field.name]} />
            ))}
          </InlineGrid>
          <InlineStack gap="200" align="end">
            {installed.saved ? (
              <Button
                tone="critical"
                variant="plain"
                loading={disconnect.state !== "idle"}
                onClick={() => disconnect.submit({ intent: "disconnect", form: `disconnect-${provider}`, provider }, { method: "post" })}
              >
                {t("settings.channels.disconnect")}
              </Button>
            ) : null}
            <Button submit variant="primary" loading={busy} disabled={!view.canStoreSecrets}>
              {t("settings.save")}
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}

/** What a template is called in the admin's language; a purpose stored by hand shows as it is. */
function usePurposeLabel() {
  const t = useT();
  return (purpose: string) => {
    const key = TEMPLATE_LABEL[purpose];
    return key ? t(key) : purpose;
  };
}

/**
 * The shop's approved WhatsApp templates: those registered (with a remove button), a form to
 * register one, and the app's templates to submit for approval, each saying whether it is registered.
 */
function WhatsappTemplatesCard({ view }: { view: View }) {
  const t = useT();
  const purposeLabel = usePurposeLabel();
  const registered = view.settings.messaging?.whatsappTemplates ?? [];
  const { values, set, setValues } = useValues({ purpose: view.whatsappCatalogue[0]?.purpose ?? "", language: "fr", name: "" });
  const { fetcher, result, errorOf, busy } = useSettingsForm("whatsappTemplate");
  const remove = useFetcher<typeof action>({ key: "removeWhatsappTemplate" });
  const removed = remove.data?.form === "removeWhatsappTemplate" ? remove.data : undefined;
  // Registered: the name field is emptied for the next one; refused, everything she typed stays.
  useEffect(() => {
    if (result?.ok) setValues((current) => ({ ...current, name: "" }));
  }, [result, setValues]);
  const registrationOf = (purpose: string, language: string) => registered.find((r) => isRegistrationFor(r, purpose, language));
  return (
    <TitledCard gap="400" title={t("settings.whatsappTemplates.title")}>
      <div data-testid="whatsapp-templates">
        <BlockStack gap="400">
          <Text as="p" tone="subdued">
            {t("settings.whatsappTemplates.description")}
          </Text>
          <Outcome result={removed} />
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {t("settings.whatsappTemplates.registeredTitle")}
            </Text>
            {registered.length === 0 ? (
              <Text as="p" tone="subdued">
                {t("settings.whatsappTemplates.noneRegistered")}
              </Text>
            ) : (
              registered.map((r) => (
                <div key={`${r.purpose}-${r.language}`} data-testid="whatsapp-registration">
                  <InlineStack gap="200" blockAlign="center" align="space-between">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold">
                        {purposeLabel(r.purpose)}
                      </Text>
                      <Badge>{r.language}</Badge>
                      <Text as="span" breakWord>
                        <code>{r.name}</code>
                      </Text>
                    </InlineStack>
                    <Button
                      variant="plain"
                      tone="critical"
                      accessibilityLabel={`${t("settings.whatsappTemplates.remove")} ${purposeLabel(r.purpose)} (${r.language})`}
                      loading={remove.state !== "idle"}
                      onClick={() => remove.submit({ intent: "removeWhatsappTemplate", form: "removeWhatsappTemplate", purpose: r.purpose, language: r.language }, { method: "post" })}
                    >
                      {t("settings.whatsappTemplates.remove")}
                    </Button>
                  </InlineStack>
                </div>
              ))
            )}
          </BlockStack>
          <fetcher.Form method="post" data-testid="whatsapp-template-form">
            <input type="hidden" name="intent" value="registerWhatsappTemplate" />
            <input type="hidden" name="form" value="whatsappTemplate" />
            <BlockStack gap="300">
              <Text as="h3" variant="headingSm">
                {t("settings.whatsappTemplates.formTitle")}
              </Text>
              <Outcome result={result} />
              <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
                <Select
                  label={t("settings.whatsappTemplates.purpose")}
                  name="purpose"
                  options={view.whatsappCatalogue.map((entry) => ({ value: entry.purpose, label: purposeLabel(entry.purpose) }))}
                  value={values.purpose ?? ""}
                  onChange={set("purpose")}
                  error={errorOf("purpose")}
                />
                <Select
                  label={t("settings.whatsappTemplates.language")}
                  name="language"
                  options={LANGUAGES.map((l) => ({ value: l, label: t(LANGUAGE_LABEL[l]) }))}
                  value={values.language ?? "fr"}
                  onChange={set("language")}
                  error={errorOf("language")}
                />
                <TextField
                  label={t("settings.whatsappTemplates.name")}
                  name="name"
                  value={values.name ?? ""}
                  onChange={set("name")}
                  autoComplete="off"
                  error={errorOf("name")}
                  helpText={t("settings.whatsappTemplates.nameHelp")}
                />
              </InlineGrid>
              <InlineStack align="end">
                <Button submit variant="primary" loading={busy}>
                  {t("settings.whatsappTemplates.register")}
                </Button>
              </InlineStack>
            </BlockStack>
          </fetcher.Form>
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              {t("settings.whatsappTemplates.toSubmit")}
            </Text>
            <Text as="p" tone="subdued">
              {t("settings.whatsappTemplates.addressForm", { address: t(view.settings.tone.address === "tu" ? "settings.ai.address.tu" : "settings.ai.address.vous") })}
            </Text>
            {view.whatsappCatalogue.map((entry) => (
              <Box key={entry.purpose} borderColor="border" borderWidth="025" borderRadius="200" padding="300">
                <BlockStack gap="200">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h4" variant="headingSm">
                      {purposeLabel(entry.purpose)}
                    </Text>
                    <Badge tone={entry.category === "MARKETING" ? "attention" : "info"}>{`${t(`settings.whatsappTemplates.category.${entry.category}`)} (${entry.category})`}</Badge>
                  </InlineStack>
                  {entry.variants.map((variant) => {
                    const registration = registrationOf(entry.purpose, variant.language);
                    return (
                      <div key={variant.language} data-testid={`whatsapp-catalogue-${entry.purpose}-${variant.language}`}>
                        <BlockStack gap="100">
                          <InlineStack gap="200" blockAlign="center">
                            <Badge>{variant.language}</Badge>
                            <Text as="span">
                              {t("settings.whatsappTemplates.nameToGive", { name: variant.name })}
                            </Text>
                            {registration ? (
                              <Badge tone="success">{t("settings.whatsappTemplates.registeredAs", { name: registration.name })}</Badge>
                            ) : (
                              <Badge>{t("settings.whatsappTemplates.notRegistered")}</Badge>
                            )}
                          </InlineStack>
                          <Box background="bg-surface-secondary" padding="200" borderRadius="100">
                            <Text as="p">{variant.body}</Text>
                          </Box>
                          <Text as="p" tone="subdued" variant="bodySm">
                            {t("settings.whatsappTemplates.variables", {
                              list: variant.variables.map((name, i) => `{{${i + 1}}} ${VARIABLE_LABEL[name] ? t(VARIABLE_LABEL[name]) : name}`).join(" · "),
                            })}
                          </Text>
                        </BlockStack>
                      </div>
                    );
                  })}
                </BlockStack>
              </Box>
            ))}
          </BlockStack>
        </BlockStack>
      </div>
    </TitledCard>
  );
}

function TestMessageForm({ view }: { view: View }) {
  const t = useT();
  const channels = [...new Set(view.accounts.map((a) => a.channel))];
  const { values, set } = useValues({ testChannel: channels[0] ?? "sms", testTo: "" });
  const { fetcher, result, errorOf, busy } = useSettingsForm("testMessage");
  return (
    <TitledCard gap="400" title={t("settings.channels.test.title")}>
      <fetcher.Form method="post" data-testid="test-message">
        <input type="hidden" name="intent" value="testMessage" />
        <BlockStack gap="400">
          <Text as="p" tone="subdued">
            {t("settings.channels.test.description")}
          </Text>
          <Outcome result={result} />
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <Select
              label={t("settings.channels.test.channel")}
              name="testChannel"
              options={(channels.length ? channels : ["sms"]).map((c) => ({ value: c, label: t(CHANNEL_LABEL[c] ?? "channel.sms") }))}
              value={values.testChannel ?? "sms"}
              onChange={set("testChannel")}
              error={errorOf("testChannel")}
            />
            <TextField label={t("settings.channels.test.to")} name="testTo" value={values.testTo ?? ""} onChange={set("testTo")} autoComplete="off" error={errorOf("testTo")} />
          </InlineGrid>
          <InlineStack align="end">
            <Button submit loading={busy}>
              {t("settings.channels.test.send")}
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </TitledCard>
  );
}

// ───────────────────────────── AI ─────────────────────────────

const LEVEL_LABEL: Record<(typeof AUTOMATION_LEVELS)[number], TranslationKey> = { auto: "settings.ai.level.auto", suggest: "settings.ai.level.suggest", off: "settings.ai.level.off" };
const LANGUAGE_LABEL: Record<(typeof LANGUAGES)[number], TranslationKey> = { fr: "settings.language.fr", en: "settings.language.en" };

function AiSection({ view }: { view: View }) {
  const t = useT();
  const stored = view.settings;
  const [automation, setAutomation] = useState<Record<string, string>>(() => Object.fromEntries(INTENTS.map((i) => [i, stored.automation?.[i] ?? "auto"])));
  const [address, setAddress] = useState<string>(stored.tone.address);
  const [emoji, setEmoji] = useState(stored.tone.emoji);
  const [signature, setSignature] = useState(stored.tone.signature ?? "");
  const [languages, setLanguages] = useState<string[]>(stored.languages ?? ["fr", "en"]);
  const [mainLanguage, setMainLanguage] = useState<string>(stored.languages?.[0] ?? "fr");
  const { fetcher, result, errorOf, busy } = useSettingsForm("ai");
  return (
    <LayoutForm form={{ fetcher, result, busy }} intent="ai">
          <Layout.AnnotatedSection title={t("settings.ai.automation.title")} description={t("settings.ai.automation.description")}>
            <Card>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                {INTENTS.map((intent) => (
                  <Select
                    key={intent}
                    label={t(INTENT_KEY[intent])}
                    name={`automation.${intent}`}
                    options={AUTOMATION_LEVELS.map((level) => ({ value: level, label: t(LEVEL_LABEL[level]) }))}
                    value={automation[intent] ?? "auto"}
                    onChange={(value) => setAutomation((current) => ({ ...current, [intent]: value }))}
                    error={errorOf(`automation.${intent}`)}
                  />
                ))}
              </InlineGrid>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.ai.tone.title")} description={t("settings.ai.tone.description")}>
            <Card>
              <BlockStack gap="400">
                <ChoiceList
                  title={t("settings.ai.address.label")}
                  name="address"
                  choices={[
                    { value: "vous", label: t("settings.ai.address.vous") },
                    { value: "tu", label: t("settings.ai.address.tu") },
                  ]}
                  selected={[address]}
                  onChange={(selected) => setAddress(selected[0] ?? "vous")}
                  error={errorOf("address")}
                />
                <Checkbox label={t("settings.ai.emoji")} name="emoji" value="on" checked={emoji} onChange={setEmoji} />
                <TextField
                  label={t("settings.ai.signature.label")}
                  name="signature"
                  value={signature}
                  onChange={setSignature}
                  autoComplete="off"
                  error={errorOf("signature")}
                  helpText={t("settings.ai.signature.help")}
                  showCharacterCount
                />
                <ChoiceList
                  title={t("settings.ai.languages.label")}
                  name="languages"
                  allowMultiple
                  choices={LANGUAGES.map((l) => ({ value: l, label: t(LANGUAGE_LABEL[l]) }))}
                  selected={languages}
                  onChange={setLanguages}
                  error={errorOf("languages")}
                />
                <Select
                  label={t("settings.ai.mainLanguage.label")}
                  name="mainLanguage"
                  options={LANGUAGES.map((l) => ({ value: l, label: t(LANGUAGE_LABEL[l]) }))}
                  value={mainLanguage}
                  onChange={setMainLanguage}
                  error={errorOf("mainLanguage")}
                  helpText={t("settings.ai.mainLanguage.help")}
                />
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
    </LayoutForm>
  );
}

// ───────────────────────────── policies ─────────────────────────────

const WEEKDAY_KEY: Record<(typeof WEEKDAYS)[number], TranslationKey> = {
  1: "settings.weekday.1",
  2: "settings.weekday.2",
  3: "settings.weekday.3",
  4: "settings.weekday.4",
  5: "settings.weekday.5",
  6: "settings.weekday.6",
  0: "settings.weekday.0",
};

function PoliciesSection({ view }: { view: View }) {
  const t = useT();
  const stored = view.policies;
  const { values, set } = useValues(Object.fromEntries(Object.entries(stored).filter((e): e is [string, string] => typeof e[1] === "string")));
  const [days, setDays] = useState<string[]>(Array.isArray(stored.marketingDays) ? stored.marketingDays : []);
  const [holidays, setHolidays] = useState(stored.marketingHolidays === "on");
  const { fetcher, result, errorOf, busy } = useSettingsForm("policies");
  const field = (name: string, label: TranslationKey, help?: TranslationKey) => (
    <TextField label={t(label)} name={name} value={values[name] ?? ""} onChange={set(name)} autoComplete="off" error={errorOf(name)} {...(help ? { helpText: t(help) } : {})} />
  );
  return (
    <LayoutForm form={{ fetcher, result, busy }} intent="policies">
          <Layout.AnnotatedSection title={t("settings.policies.holds.title")} description={t("settings.policies.holds.description")}>
            <Card>
              <BlockStack gap="400">
                <Select
                  label={t("settings.policies.holdMode.label")}
                  name="holdMode"
                  options={HOLD_MODES.map((mode) => ({ value: mode, label: t(mode === "nextDay" ? "settings.policies.holdMode.nextDay" : "settings.policies.holdMode.hours") }))}
                  value={values.holdMode ?? "nextDay"}
                  onChange={set("holdMode")}
                />
                {values.holdMode === "hours" ? field("holdHours", "settings.policies.holdHours.label", "settings.policies.holdHours.help") : field("holdTime", "settings.policies.holdTime.label")}
                {values.holdMode === "hours" ? <input type="hidden" name="holdTime" value={values.holdTime ?? ""} /> : <input type="hidden" name="holdHours" value={values.holdHours ?? ""} />}
                {field("maxItems", "settings.policies.maxItems.label", "settings.policies.maxItems.help")}
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.policies.returns.title")}>
            <Card>{field("returnWindowDays", "settings.policies.returnWindowDays.label")}</Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.policies.quietHours.title")} description={t("settings.policies.quietHours.description")}>
            <Card>
              <BlockStack gap="400">
                <Text as="h3" variant="headingSm">
                  {t("settings.policies.transactional")}
                </Text>
                <InlineGrid columns={2} gap="300">
                  {field("transactionalStart", "settings.policies.from")}
                  {field("transactionalEnd", "settings.policies.to")}
                </InlineGrid>
                <Text as="h3" variant="headingSm">
                  {t("settings.policies.marketing")}
                </Text>
                <InlineGrid columns={2} gap="300">
                  {field("marketingStart", "settings.policies.from")}
                  {field("marketingEnd", "settings.policies.to")}
                </InlineGrid>
                <ChoiceList
                  title={t("settings.policies.marketingDays.label")}
                  name="marketingDays"
                  allowMultiple
                  choices={WEEKDAYS.map((d) => ({ value: String(d), label: t(WEEKDAY_KEY[d]) }))}
                  selected={days}
                  onChange={setDays}
                  error={errorOf("marketingDays")}
                />
                <Checkbox label={t("settings.policies.marketingHolidays")} name="marketingHolidays" value="on" checked={holidays} onChange={setHolidays} />
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
    </LayoutForm>
  );
}

// ───────────────────────────── plugins ─────────────────────────────

function PluginsSection({ view, now }: { view: View; now: string }) {
  return (
    <BlockStack gap="400">
      {PLUGIN_FORMS.map((form) => (
        <PluginCard key={form.pluginId} pluginId={form.pluginId} view={view} now={now} />
      ))}
    </BlockStack>
  );
}

function PluginCard({ pluginId, view, now }: { pluginId: IntegrationPluginId; view: View; now: string }) {
  const t = useT();
  const locale = useLocale();
  const form = PLUGIN_FORMS.find((p) => p.pluginId === pluginId) ?? PLUGIN_FORMS[0];
  const installed = view.plugins[pluginId] ?? { saved: false, enabled: false, values: {}, secrets: {}, lastTest: null };
  const { values, set } = useValues(Object.fromEntries((form?.fields ?? []).map((f) => [f.name, f.secret ? "" : (installed.values[f.name] ?? "")])));
  const key = `plugin-${pluginId}`;
  const { fetcher, result, errorOf, busy } = useSettingsForm(key);
  if (!form) return null;
  const status = installed.enabled ? (
    <Badge tone="success">{t("settings.status.active")}</Badge>
  ) : installed.saved ? (
    <Badge tone="attention">{t("settings.status.inactive")}</Badge>
  ) : (
    <Badge>{t("settings.status.notInstalled")}</Badge>
  );
  return (
    <Card>
      <fetcher.Form method="post" data-testid={key}>
        <input type="hidden" name="intent" value="plugin" />
        <input type="hidden" name="form" value={key} />
        <input type="hidden" name="pluginId" value={pluginId} />
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                {t(form.title)}
              </Text>
              <Text as="p" tone="subdued">
                {t(form.description)}
              </Text>
            </BlockStack>
            {status}
          </InlineStack>
          <Outcome result={result} />
          {installed.lastTest ? (
            <Text as="p" tone={installed.lastTest.result.ok ? "success" : "critical"}>
              {installed.lastTest.result.ok
                ? t("settings.plugins.lastTestOk", { when: formatWhen(installed.lastTest.at, { t, locale, timeZone: view.shop.timeZone, now }) })
                : t("settings.plugins.lastTestFailed", { when: formatWhen(installed.lastTest.at, { t, locale, timeZone: view.shop.timeZone, now }), reason: installed.lastTest.result.reason })}
            </Text>
          ) : null}
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {form.fields.map((field) => (
              <SettingTextField key={field.name} field={field} value={values[field.name] ?? ""} onChange={set(field.name)} error={errorOf(field.name)} savedHint={installed.secrets[field.name]} />
            ))}
          </InlineGrid>
          <InlineStack gap="200" align="end">
            {installed.saved ? (
              <>
                <Button onClick={() => fetcher.submit({ intent: "removePlugin", form: key, pluginId }, { method: "post" })} tone="critical" variant="plain">
                  {t("settings.plugins.remove")}
                </Button>
                <Button onClick={() => fetcher.submit({ intent: "testPlugin", form: key, pluginId }, { method: "post" })}>{t("settings.plugins.test")}</Button>
              </>
            ) : null}
            <Button submit variant="primary" loading={busy}>
              {installed.saved ? t("settings.save") : t("settings.plugins.install")}
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}

// ───────────────────────────── templates ─────────────────────────────

const TEMPLATE_OPTIONS = [
  ...REPLY_TEMPLATE_IDS.map((id) => ({ value: `reply:${id}`, kind: "reply" as const, id })),
  ...PROACTIVE_TEMPLATE_IDS.map((id) => ({ value: `proactive:${id}`, kind: "proactive" as const, id })),
];

function storedText(view: View, form: Pick<TemplateForm, "kind" | "template" | "language" | "channel">): string {
  const templates = view.settings.templates;
  if (form.kind === "reply") return templates?.reply?.[form.template]?.[form.language] ?? "";
  return templates?.proactive?.[form.template]?.[form.language]?.[form.channel] ?? "";
}

function TemplatesSection({ view }: { view: View }) {
  const t = useT();
  const locale = useLocale();
  const [choice, setChoice] = useState(TEMPLATE_OPTIONS[0]?.value ?? "");
  const [language, setLanguage] = useState<TemplateForm["language"]>(locale);
  const [channel, setChannel] = useState<TemplateForm["channel"]>("sms");
  const selected = TEMPLATE_OPTIONS.find((o) => o.value === choice) ?? TEMPLATE_OPTIONS[0];
  const kind = selected?.kind ?? "reply";
  const template = selected?.id ?? "";
  const [text, setText] = useState(() => storedText(view, { kind, template, language, channel }));
  // Another template, language or channel: her saved wording of it (or empty: the default).
  useEffect(() => {
    setText(storedText(view, { kind, template, language, channel }));
    // Only when she picks another template; a save's reload keeps what she typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- view changes after every save
  }, [kind, template, language, channel]);
  const form: TemplateForm = { kind, template, language, channel, text };
  const preview = previewTemplate(form, { name: view.shop.name, timeZone: view.shop.timeZone, tone: view.settings.tone });
  const { fetcher, result, errorOf, busy } = useSettingsForm("template");
  const saved = storedText(view, form) !== "";
  const liveError = text.trim() !== "" ? preview.errors[0] : undefined;
  const error = errorOf("text") ?? (liveError ? t(liveError.key, liveError.vars) : undefined);
  return (
    <fetcher.Form method="post" data-testid="template-form">
      <input type="hidden" name="intent" value="template" />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="template" value={template} />
      <BlockStack gap="400">
        <Outcome result={result} />
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="400">
                <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
                  <Select
                    label={t("settings.templates.template")}
                    options={[
                      { title: t("settings.templates.replies"), options: TEMPLATE_OPTIONS.filter((o) => o.kind === "reply").map((o) => ({ value: o.value, label: o.id })) },
                      { title: t("settings.templates.proactive"), options: TEMPLATE_OPTIONS.filter((o) => o.kind === "proactive").map((o) => ({ value: o.value, label: o.id })) },
                    ]}
                    value={choice}
                    onChange={setChoice}
                  />
                  <Select
                    label={t("settings.templates.language")}
                    name="language"
                    options={LANGUAGES.map((l) => ({ value: l, label: t(LANGUAGE_LABEL[l]) }))}
                    value={language}
                    onChange={(value) => setLanguage(value === "en" ? "en" : "fr")}
                  />
                  <Select
                    label={t("settings.templates.channel")}
                    name="channel"
                    options={TEMPLATE_CHANNELS.map((c) => ({ value: c, label: t(CHANNEL_LABEL[c] ?? "channel.sms") }))}
                    value={channel}
                    onChange={(value) => setChannel(TEMPLATE_CHANNELS.find((c) => c === value) ?? "sms")}
                    helpText={kind === "reply" ? t("settings.templates.channelPreviewOnly") : undefined}
                  />
                </InlineGrid>
                <TextField
                  label={t("settings.templates.text")}
                  name="text"
                  value={text}
                  onChange={setText}
                  multiline={4}
                  autoComplete="off"
                  error={error}
                  placeholder={t("settings.templates.placeholder")}
                  helpText={t("settings.templates.variables", { list: preview.variables.map((v) => `{{${v}}}`).join(" ") })}
                />
                <InlineStack gap="200" align="end">
                  {saved ? (
                    <Button onClick={() => fetcher.submit({ intent: "template", kind, template, language, channel, text: "", reset: "1" }, { method: "post" })}>
                      {t("settings.templates.reset")}
                    </Button>
                  ) : null}
                  <Button submit variant="primary" loading={busy}>
                    {t("settings.save")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("settings.templates.preview")}
                </Text>
                <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                  <div data-testid="template-preview" style={{ whiteSpace: "pre-wrap" }}>
                    <Text as="p">{preview.body}</Text>
                  </div>
                </Box>
                {preview.sms ? (
                  <div data-testid="segment-counter">
                    <Text as="p" tone={preview.sms.segments > 1 ? "caution" : "subdued"}>
                      {t(preview.sms.segments > 1 ? "settings.templates.segments.other" : "settings.templates.segments.one", {
                        segments: preview.sms.segments,
                        encoding: preview.sms.encoding,
                        characters: preview.sms.characters,
                      })}
                    </Text>
                  </div>
                ) : null}
                <Text as="p" tone="subdued">
                  {t("settings.templates.previewNote")}
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </fetcher.Form>
  );
}
