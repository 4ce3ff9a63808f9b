/**
 * The HTTP server: the customer-message webhooks first (server/channel-webhooks.ts), then Express
 * in front of the Remix request handler, with the process's services in the load context. In
 * development Vite serves the app as middleware (no build needed: the demo and the sandbox run
 * from a fresh clone); in production the built app is served.
 */
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { AppServices } from "../app/services.server";
import { createChannelWebhookHandler } from "./channel-webhooks";

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: {
  services: AppServices;
  port: number;
  host?: string;
  /** "vite": compile on demand (development); "build": serve ./build (after `npm run build`). */
  mode: "vite" | "build";
}): Promise<HttpServer> {
  const app = express();
  app.disable("x-powered-by");
  const getLoadContext = () => ({ services: options.services });
  let closeVite: () => Promise<void> = async () => undefined;

  if (options.mode === "vite") {
    const vite = await import("vite");
    const devServer = await vite.createServer({ server: { middlewareMode: true, hmr: false }, appType: "custom", logLevel: "warn" });
    closeVite = () => devServer.close();
    app.use(devServer.middlewares);
    app.all(
      "*",
      createRequestHandler({
        build: () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
        getLoadContext,
      }),
    );
  } else {
    const buildDir = path.resolve("build");
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    const build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
    app.all("*", createRequestHandler({ build, getLoadContext }));
  }

  const channelWebhook = createChannelWebhookHandler({
    webhooks: options.services.webhooks,
    onError: (error) => options.services.logger.error("channel webhook failed", { error: error instanceof Error ? error.message : String(error) }),
  });
  const server = http.createServer((req, res) => {
    if (!channelWebhook(req, res)) app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1"}:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeVite();
    },
  };
}
