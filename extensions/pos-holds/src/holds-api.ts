/**
 * The app's POS holds route (app/routes/api.pos.holds.tsx). A relative URL is resolved against the
 * app's `application_url`, and the POS session token goes in `Authorization`, which the route
 * verifies (`authenticate.public.pos`).
 * https://shopify.dev/docs/api/pos-ui-extensions/latest/target-apis/standard-apis/session-api
 */
import type { PickUpOutcome, PosHoldList } from "../../../app/pos/types";

export type { PosHold, PosHoldItem, PosHoldList } from "../../../app/pos/types";

const HOLDS_PATH = "/api/pos/holds";

/** What each target's `shopify.session` offers that this module needs. */
export interface SessionTokenSource {
  getSessionToken(): Promise<string | undefined | null>;
}

/** Why a call failed, for the message staff read. */
export class HoldsApiError extends Error {
  constructor(readonly reason: "no_permission" | "unauthorized" | "not_found" | "not_active" | "unavailable") {
    super(reason);
  }
}

async function call(session: SessionTokenSource, path: string, init: RequestInit = {}): Promise<Response> {
  // No token: the logged-in user has no permission for the app (POS returns null then).
  const token = await session.getSessionToken();
  if (!token) throw new HoldsApiError("no_permission");
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  const response = await fetch(path, { ...init, headers }).catch(() => null);
  if (!response) throw new HoldsApiError("unavailable");
  if (response.status === 401 || response.status === 403) throw new HoldsApiError("unauthorized");
  return response;
}

export async function fetchHolds(session: SessionTokenSource, search = ""): Promise<PosHoldList> {
  const query = search.trim() ? `?q=${encodeURIComponent(search.trim())}` : "";
  const response = await call(session, `${HOLDS_PATH}${query}`);
  if (!response.ok) throw new HoldsApiError("unavailable");
  return (await response.json()) as PosHoldList;
}

export async function markPickedUp(session: SessionTokenSource, holdId: string): Promise<void> {
  const response = await call(session, HOLDS_PATH, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action: "picked_up", holdId }),
  });
  if (response.ok) return;
  const outcome = (await response.json().catch(() => null)) as PickUpOutcome | null;
  if (outcome?.outcome === "not_found") throw new HoldsApiError("not_found");
  if (outcome?.outcome === "not_active") throw new HoldsApiError("not_active");
  throw new HoldsApiError("unavailable");
}
