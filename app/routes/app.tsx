import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError, type ShouldRevalidateFunction } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisEnglish from "@shopify/polaris/locales/en.json";
import polarisFrench from "@shopify/polaris/locales/fr.json";
import { localeOf } from "~/i18n/i18n.server";
import { I18nProvider, useT } from "~/i18n/react";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

/** Every /app page is embedded in Shopify admin and authenticated with a session token. */
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  await context.services.shopify.authenticate.admin(request);
  return { apiKey: context.services.shopifyApiKey, locale: localeOf(request) };
};

/**
 * Admin gives the `locale` parameter on the document it loads in the iframe, not on the app's own
 * client-side navigations (/app/inbox?tab=…): this layout keeps the language it was opened with
 * unless a new URL says otherwise. Its data (API key, locale) changes with nothing else.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ nextUrl, defaultShouldRevalidate }) =>
  nextUrl.searchParams.has("locale") ? defaultShouldRevalidate : false;

export default function App() {
  const { apiKey, locale } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={locale === "fr" ? polarisFrench : polarisEnglish}>
      <I18nProvider locale={locale}>
        <Navigation />
        <Outlet />
      </I18nProvider>
    </AppProvider>
  );
}

/** The app's pages in admin's sidebar (App Bridge lifts this menu out of the iframe). */
function Navigation() {
  const t = useT();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {t("nav.home")}
      </Link>
      <Link to="/app/inbox">{t("nav.inbox")}</Link>
      <Link to="/app/customers">{t("nav.customers")}</Link>
      <Link to="/app/holds">{t("nav.holds")}</Link>
      <Link to="/app/broadcasts">{t("nav.broadcasts")}</Link>
      <Link to="/app/settings">{t("nav.settings")}</Link>
    </NavMenu>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
