/**
 * A list page's query kept in the URL (filters, search, page cursor), so that the loader reads it
 * and a reload or a shared link shows the same view. Shared by the inbox, the customers list and the holds.
 */
import { useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

const SEARCH_DELAY_MS = 300;

type Changes<Key extends string> = Partial<Record<Key | "q" | "after", string | null>>;

export function useListParams<Key extends string>() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get("q") ?? "");

  /** A new view of the list: the page cursor never survives a change of filter or search. */
  const apply = (changes: Partial<Record<string, string | null>>) => {
    const next = new URLSearchParams(params);
    if (!("after" in changes)) next.delete("after");
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true, preventScrollReset: true });
  };
  const update: (changes: Changes<Key>) => void = apply;

  // Search as she types, once she pauses.
  const urlSearch = params.get("q") ?? "";
  const latestUpdate = useRef(apply);
  latestUpdate.current = apply;
  useEffect(() => {
    if (search.trim() === urlSearch.trim()) return;
    const timer = setTimeout(() => latestUpdate.current({ q: search.trim() || null }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, urlSearch]);

  return { params, update, search, setSearch, urlSearch };
}
