/**
 * Served in place of https://cdn.shopify.com/shopifycloud/app-bridge.js in the end-to-end tests:
 * outside Shopify admin the real script cannot work (it talks to the admin frame) and the test
 * network is closed anyway.
 *
 * What the page needs from App Bridge (checked in node_modules/@shopify/app-bridge-react 4.2):
 * - `NavMenu` and `TitleBar` are only the custom element names `ui-nav-menu` / `ui-title-bar`.
 *   Undefined, they would render their children inline (the nav's "Home" link at the top of the
 *   page); in admin, App Bridge lifts them into admin's own chrome and the iframe shows nothing.
 *   The stub defines them with an empty shadow root, so their content stays in the DOM (React
 *   hydrates it as usual, no attribute is touched) but is not displayed, as in admin.
 * - `useAppBridge()` throws when `window.shopify` is missing: the stub defines it, with the parts
 *   of the API an app commonly calls at render (config, environment, idToken, toast, loading).
 * - shopify-app-remix's AppProvider only injects the script tag and listens for `shopify:navigate`.
 * Like the real script, the stub adds the session token as `Authorization: Bearer` to the app's
 * own fetches (Remix data requests after the first document), so client navigation would
 * authenticate the way it does in admin. It mints no token: the one it holds is the URL's
 * `id_token`. On the bounce page (/auth/session-token) the real script fetches a fresh token and
 * reloads `shopify-reload`; the stub deliberately does not, so an invalid token stays refused.
 */
export const APP_BRIDGE_STUB = String.raw`(() => {
  "use strict";
  if (window.shopify) return;
  const script = document.currentScript;
  const params = new URLSearchParams(window.location.search);
  const idToken = params.get("id_token") ?? "";
  const noop = () => {};
  const done = () => Promise.resolve();
  window.shopify = {
    config: {
      apiKey: script?.getAttribute("data-api-key") ?? "",
      shop: params.get("shop") ?? "",
      host: params.get("host") ?? "",
      locale: params.get("locale") ?? "en",
    },
    environment: { embedded: true, mobile: false, pos: false },
    origin: "https://admin.shopify.com",
    idToken: () => Promise.resolve(idToken),
    toast: { show: () => "toast", hide: noop },
    loading: noop,
    modal: { show: done, hide: done, toggle: done },
    saveBar: { show: done, hide: done, toggle: done, leaveConfirmation: done },
    __stub: true,
  };

  for (const name of ["ui-nav-menu", "ui-title-bar"]) {
    if (customElements.get(name)) continue;
    customElements.define(
      name,
      class extends HTMLElement {
        connectedCallback() {
          if (!this.shadowRoot) this.attachShadow({ mode: "open" });
        }
      },
    );
  }

  if (idToken) {
    const originalFetch = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const request = new Request(input, init);
      const sameOrigin = new URL(request.url, window.location.href).origin === window.location.origin;
      if (sameOrigin && !request.headers.has("Authorization")) request.headers.set("Authorization", "Bearer " + idToken);
      return originalFetch(request);
    };
  }
})();
`;
