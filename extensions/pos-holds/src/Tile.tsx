/**
 * The smart grid tile: how many holds end today (the badge) and how many are active; a tap opens
 * the modal (Modal.tsx).
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { fetchHolds } from "./holds-api";

/** The tile stays on screen all day: its counts follow the holds made meanwhile. */
const REFRESH_MS = 5 * 60_000;

export default async () => {
  render(<HoldsTile />, document.body);
};

function HoldsTile() {
  const t = shopify.i18n.translate;
  const [counts, setCounts] = useState<{ active: number; endingToday: number } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const load = () =>
      fetchHolds(shopify.session)
        .then((list) => {
          setCounts({ active: list.activeCount, endingToday: list.endingTodayCount });
          setFailed(false);
        })
        .catch(() => setFailed(true));
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const subheading = failed
    ? t("tile.unavailable")
    : counts
      ? `${t("tile.endingToday", { count: counts.endingToday })} · ${t("tile.active", { count: counts.active })}`
      : t("tile.loading");
  return (
    <s-tile
      heading={t("tile.heading")}
      subheading={subheading}
      itemCount={counts?.endingToday}
      tone={counts && counts.endingToday > 0 ? "accent" : "auto"}
      onClick={() => shopify.action.presentModal()}
    />
  );
}
