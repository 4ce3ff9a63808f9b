/**
 * A list page's controls over its URL query (`useListParams`): one-choice filters (channel,
 * status, segment …), the search and filters bar, and the cursor pagination of an IndexTable.
 * Shared by the inbox, the customers list and the holds (search only).
 */
import { ChoiceList, Filters, type FiltersProps } from "@shopify/polaris";
import type { Translate, TranslationKey } from "~/i18n";

/** The one-choice filters to pick from, and the applied ones. */
export function choiceFilters<Key extends string>(input: {
  keys: readonly Key[];
  /** Per filter: value → its label. */
  options: Record<Key, Record<string, TranslationKey>>;
  labels: Record<Key, TranslationKey>;
  params: URLSearchParams;
  update: (changes: Partial<Record<Key, string | null>>) => void;
  t: Translate;
}) {
  const { keys, options, labels, params, update, t } = input;
  // `{ [key]: value }` with a generic key is typed as an index signature; this says what it is.
  const set = (key: Key, value: string | null) => update({ [key]: value } as Partial<Record<Key, string | null>>);
  const filters = keys.map((key) => ({
    key,
    label: t(labels[key]),
    shortcut: true,
    filter: (
      <ChoiceList
        title={t(labels[key])}
        titleHidden
        choices={Object.entries(options[key]).map(([value, label]) => ({ value, label: t(label) }))}
        selected={params.get(key) ? [params.get(key) ?? ""] : []}
        onChange={(selected) => set(key, selected[0] ?? null)}
      />
    ),
  }));
  const applied = keys.flatMap((key) => {
    const value = params.get(key);
    const label = value ? options[key][value] : undefined;
    return label ? [{ key, label: t("inbox.filters.applied", { label: t(labels[key]), value: t(label) }), onRemove: () => set(key, null) }] : [];
  });
  return { filters, applied };
}

/** The search field and the filters; "clear all" empties the search and every filter. */
export function ListFilters<Key extends string>(props: {
  list: { search: string; setSearch: (value: string) => void; update: (changes: Partial<Record<Key | "q", string | null>>) => void };
  keys: readonly Key[];
  placeholder: string;
  filters: FiltersProps["filters"];
  applied: FiltersProps["appliedFilters"];
  loading: boolean;
}) {
  const { list, keys } = props;
  const clear = (changes: Partial<Record<Key | "q", string | null>>) => {
    list.setSearch("");
    list.update(changes);
  };
  return (
    <Filters
      queryValue={list.search}
      queryPlaceholder={props.placeholder}
      filters={props.filters}
      appliedFilters={props.applied}
      onQueryChange={list.setSearch}
      onQueryClear={() => clear({ q: null } as Partial<Record<Key | "q", string | null>>)}
      onClearAll={() => clear(Object.fromEntries([...keys, "q"].map((key) => [key, null])) as Partial<Record<Key | "q", string | null>>)}
      loading={props.loading}
    />
  );
}

/** Pages go forward from the most recent; "previous" starts over from the top. */
export function cursorPagination(nextCursor: string | null, params: URLSearchParams, update: (changes: { after: string | null }) => void) {
  return {
    hasNext: nextCursor !== null,
    onNext: () => update({ after: nextCursor }),
    hasPrevious: params.has("after"),
    onPrevious: () => update({ after: null }),
  };
}
