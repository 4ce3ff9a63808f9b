/**
 * Whether the page is loading or submitting anything: a navigation, a revalidation, a fetcher's
 * load or submission. A revalidation started then would interrupt those loads, and an interrupted
 * load is an AbortError in the console (seen in the inbox e2e test); the pages that refresh by
 * themselves wait for this to be false (use-live-updates.ts, use-refresh-after.ts).
 */
import { useFetchers, useNavigation, useRevalidator } from "@remix-run/react";

export function usePageBusy(): boolean {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const fetchers = useFetchers();
  return revalidator.state !== "idle" || navigation.state !== "idle" || fetchers.some((fetcher) => fetcher.state !== "idle");
}
