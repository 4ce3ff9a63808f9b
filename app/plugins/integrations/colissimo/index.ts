/**
 * colissimo: parcels followed through La Poste's Suivi v2 API and return labels through the
 * Colissimo label web service (DESIGN §4: one folder per plugin, one line in the registry). The
 * registry parses the shop's stored settings with `configSchema` and hands the result to `create`.
 */
import type { ZodType, ZodTypeDef } from "zod";
import type { Tracking } from "~/plugins/types";
import { colissimoConfigSchema, type ColissimoConfig, type ColissimoConfigInput } from "./config";
import { createColissimoTracking, type ColissimoTrackingDeps } from "./tracking.server";

export const colissimoPlugin = {
  id: "colissimo",
  capabilities: ["tracking"],
  configSchema: colissimoConfigSchema,
  /** Settings stored encrypted (app/plugins/installations.server.ts; dotted paths reach into `labels`). */
  secretKeys: ["okapiKey", "labels.apiKey", "labels.password"],
  create: createColissimoTracking,
} as const satisfies {
  id: string;
  capabilities: readonly ["tracking"];
  secretKeys: readonly string[];
  configSchema: ZodType<ColissimoConfig, ZodTypeDef, ColissimoConfigInput>;
  create: (deps: ColissimoTrackingDeps) => Tracking;
};

export type { ColissimoTrackingDeps } from "./tracking.server";
export type { ColissimoConfig, ColissimoConfigInput } from "./config";
