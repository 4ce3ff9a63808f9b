/**
 * Routes receive the process's services through the Remix load context (server/http.ts builds
 * it). Route modules import server code as types only: the logic runs in the process that created
 * the services, so there is exactly one instance of every client, class and connection.
 */
import type { AppServices } from "./services.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    services: AppServices;
  }
}

export {};
