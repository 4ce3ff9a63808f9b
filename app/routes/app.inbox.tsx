/**
 * The inbox section: the list (app.inbox._index) and a thread (app.inbox.$id) render here, under
 * one live-update subscription that stays open while the merchant goes from one to the other.
 */
import { Outlet } from "@remix-run/react";
import { useInboxLiveUpdates } from "~/inbox/use-live-updates";

export default function InboxSection() {
  useInboxLiveUpdates();
  return <Outlet />;
}
