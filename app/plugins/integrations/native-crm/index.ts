/**
 * native-crm: the built-in CRM, the default for every shop (DESIGN §4: one folder per plugin, one
 * line in the registry). No settings are required and it keeps no secrets; the settings only
 * override the segment thresholds.
 */
import type { ZodType, ZodTypeDef } from "zod";
import { createNativeCrm, type NativeCrm, type NativeCrmDeps } from "./crm.server";
import { nativeCrmConfigSchema, type NativeCrmConfig, type NativeCrmConfigInput } from "./config";

export const nativeCrmPlugin = {
  id: "native-crm",
  capabilities: ["crm"],
  configSchema: nativeCrmConfigSchema,
  secretKeys: [],
  create: createNativeCrm,
} as const satisfies {
  id: string;
  capabilities: readonly ["crm"];
  configSchema: ZodType<NativeCrmConfig, ZodTypeDef, NativeCrmConfigInput>;
  secretKeys: readonly [];
  create: (deps: NativeCrmDeps) => NativeCrm;
};

export type { NativeCrm, NativeCrmDeps, NativeCrmNote, NoteAuthor } from "./crm.server";
export type { NativeCrmConfig, NativeCrmConfigInput, SegmentThresholds } from "./config";
export { DEFAULT_SEGMENT_THRESHOLDS } from "./config";
export { segmentFor, type Segment, type SegmentInput } from "./segments";
