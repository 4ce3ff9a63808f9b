/**
 * What Shopify admin gives an embedded app, made locally for the end-to-end tests: a session token
 * (the `id_token` App Bridge hands the app) and the URL admin loads in its iframe.
 *
 * The token is what `@shopify/shopify-api`'s `decodeSessionToken` accepts: an HS256 JWT signed with
 * the app's secret (the key is the secret's characters as bytes, see `getHMACKey`), verified by
 * `jose.jwtVerify` with a 10 s clock tolerance on `exp`/`nbf`, whose `aud` must equal the API key.
 * `dest` names the shop (shopify-app-remix reads the shop from its hostname).
 */
import { createHmac, randomUUID } from "node:crypto";

export interface SessionTokenOptions {
  /** The shop's myshopify domain, e.g. "elegance-paris.myshopify.com". */
  shop: string;
  /** The app's client id: the token's audience. */
  apiKey: string;
  /** The app's client secret, which signs the token. */
  apiSecret: string;
  /** The staff member's id (`sub`); defaults to "1". */
  userId?: string;
  /** Signing time; defaults to now. Tokens are checked against real time, not the sandbox clock. */
  now?: Date;
  /** Lifetime in seconds; Shopify issues one-minute tokens. */
  ttlSeconds?: number;
}

export interface SessionTokenPayload {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export function sessionTokenPayload(options: Omit<SessionTokenOptions, "apiSecret">): SessionTokenPayload {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: options.userId ?? "1",
    exp: now + (options.ttlSeconds ?? 60),
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  };
}

/** Signs `payload` as an HS256 JWT with `secret`. */
export function signJwt(payload: object, secret: string): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(payload));
  // The library's HMAC key is one byte per UTF-16 code unit of the secret (latin1 for ASCII secrets).
  const signature = createHmac("sha256", Buffer.from(secret, "latin1")).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}

/** A session token for `shop`, as App Bridge would hand it to the app. */
export function createSessionToken(options: SessionTokenOptions): string {
  return signJwt(sessionTokenPayload(options), options.apiSecret);
}

/**
 * The `host` parameter admin adds to embedded URLs: base64url (unpadded) of
 * "admin.shopify.com/store/<store name>". shopify-api's `sanitizeHost` only accepts
 * `[0-9a-zA-Z+/]` followed by optional `=`, so a value with `-` or `_` would be refused.
 */
export function adminHost(shop: string): string {
  const storeName = shop.replace(/\.myshopify\.com$/, "");
  const host = base64url(`admin.shopify.com/store/${storeName}`);
  if (!/^[0-9a-zA-Z+/]+={0,2}$/.test(host)) {
    throw new Error(`the host parameter for ${shop} (${host}) would be refused by shopify-api's sanitizeHost`);
  }
  return host;
}

/**
 * The URL admin opens in the app's iframe on a document request. With the new embedded auth
 * strategy, `authenticate.admin` requires on such a request (no Authorization header):
 * - `shop`, a valid myshopify domain, and `host`, a base64 admin host (else: redirect to /auth/login);
 * - `embedded=1` (else: redirect to Shopify admin / the app root);
 * - `id_token`, a valid session token (missing or invalid: redirect to the bounce page,
 *   /auth/session-token, where App Bridge would fetch a fresh token and reload).
 */
export function embeddedAppUrl(options: {
  baseUrl: string;
  shop: string;
  idToken: string;
  path?: string;
  locale?: string;
}): string {
  const url = new URL(options.path ?? "/app", options.baseUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", options.shop);
  url.searchParams.set("host", adminHost(options.shop));
  url.searchParams.set("id_token", options.idToken);
  url.searchParams.set("locale", options.locale ?? "fr");
  return url.toString();
}
