/**
 * Keeps the inbox pages current: one EventSource on /app/inbox/events, and on each event the
 * page's loaders run again (`useRevalidator`), so a new message shows up without a reload.
 *
 * EventSource cannot send an Authorization header, so the session token rides in the query
 * (`token`); tokens live one minute, so every (re)connection asks App Bridge for a fresh one
 * (https://shopify.dev/docs/api/app-bridge-library/apis/id-token). The server ends the stream every
 * few minutes; on that or any error we reconnect with a new token and revalidate once, in case
 * something changed while disconnected.
 *
 * A change told while the page is loading or submitting (her "take over", a reply being sent) is
 * loaded once the page is idle again: revalidating then would interrupt the fetchers' own loads,
 * and an interrupted load is an AbortError in the console (seen in the inbox e2e test).
 */
import { useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useRef } from "react";
import { usePageBusy } from "~/components/use-page-busy";

const RECONNECT_MS = 2000;

export function useInboxLiveUpdates(path = "/app/inbox/events") {
  const shopify = useAppBridge();
  const revalidator = useRevalidator();
  const busy = usePageBusy();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const busyNow = useRef(busy);
  busyNow.current = busy;
  const told = useRef(false);
  const refresh = useRef(() => {
    if (busyNow.current) told.current = true;
    else revalidate.current();
  });
  useEffect(() => {
    if (busy || !told.current) return;
    told.current = false;
    revalidate.current();
  }, [busy]);

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let missed = false;
    const reconnectLater = () => {
      if (!stopped) retry = setTimeout(() => void connect(), RECONNECT_MS);
    };
    const connect = async () => {
      let token: string;
      try {
        token = await shopify.idToken();
      } catch {
        return reconnectLater();
      }
      if (stopped) return;
      source = new EventSource(`${path}?token=${encodeURIComponent(token)}`);
      source.onopen = () => {
        if (missed) refresh.current();
        missed = false;
      };
      source.onmessage = () => refresh.current();
      source.onerror = () => {
        source?.close();
        source = null;
        missed = true;
        reconnectLater();
      };
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [shopify, path]);
}
