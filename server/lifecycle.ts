/** Stops a process's server, workers and services in order on SIGINT/SIGTERM. */
import type { AppServices } from "../app/services.server";
import type { HttpServer } from "./http";

export function stopOnSignal(parts: { server?: HttpServer; workers?: { close(): Promise<void> } | null; services: AppServices }) {
  const stop = async () => {
    await parts.server?.close();
    await parts.workers?.close();
    await parts.services.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
