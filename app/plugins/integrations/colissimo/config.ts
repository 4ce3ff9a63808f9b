/**
 * Settings of the colissimo plugin (one installation per shop). Secrets: `okapiKey` (La Poste's
 * Open API key, https://developer.laposte.fr/) and, for return labels, the Colissimo web-service
 * credentials (`labels.apiKey`, or the older `labels.contractNumber` + `labels.password`).
 */
import { z } from "zod";
import { providerBaseUrl } from "~/plugins/config-fields";

/** La Poste Open API gateway; Suivi v2 lives under `/suivi/v2`. */
export const LAPOSTE_API_BASE_URL = "https://api.laposte.fr";
/** Colissimo web services; the label service (SLS) lives under `/sls-ws/SlsServiceWSRest/2.0`. */
export const COLISSIMO_WS_BASE_URL = "https://ws.colissimo.fr";

/** Languages Suivi v2 writes its event labels in (Swagger SUIVI, parameter `lang`). */
export const SUIVI_LANGUAGES = ["fr_FR", "en_GB", "de_DE", "es_ES", "it_IT", "nl_NL"] as const;


const secret = (name: string, hint: string) =>
  z
    .string({ required_error: `${name} is required (${hint})` })
    .min(1, `${name} is required (${hint})`)
    // A pasted key with a stray space or newline is refused with a 401 that says nothing about it.
    .refine((value) => value === value.trim(), `${name} has leading or trailing whitespace; paste it again`);

/**
 * Where customers send their returns: the shop. Field names and limits are the SLS `Address`
 * block's; a return label (product CORE / CORI) requires `companyName` for its addressee.
 */
const returnAddressSchema = z.object({
  companyName: z.string().min(1).max(35),
  /** Number and street, "5 rue du Bellay". */
  line2: z.string().min(1).max(35),
  /** Place or other mention. */
  line3: z.string().max(35).optional(),
  zipCode: z.string().min(1).max(10),
  city: z.string().min(1).max(35),
  countryCode: z
    .string()
    .regex(/^[A-Z]{2}$/, "countryCode is a 2-letter ISO code such as FR")
    .default("FR"),
  email: z.string().email().optional(),
  phoneNumber: z.string().max(15).optional(),
});

const labelsSchema = z
  .object({
    /** Current SLS authentication: the `apiKey` header (Colissimo Box → "Clé API"). */
    apiKey: secret("labels.apiKey", "Colissimo Box → API key").optional(),
    /** Older authentication, in the request body: the web-service contract number and password. */
    contractNumber: z.string().regex(/^\d{6}$/, "labels.contractNumber is the 6-digit Colissimo contract number").optional(),
    password: secret("labels.password", "the web-service password of the contract").optional(),
    baseUrl: providerBaseUrl("labels.baseUrl", COLISSIMO_WS_BASE_URL).default(COLISSIMO_WS_BASE_URL),
    returnAddress: returnAddressSchema,
    /** Weight printed on the return label, in kg (the customer's parcel is not weighed by us). */
    weightKg: z.number().positive().max(30).default(1),
  })
  .superRefine((labels, ctx) => {
    const legacy = labels.contractNumber !== undefined || labels.password !== undefined;
    if (labels.apiKey === undefined && !(labels.contractNumber && labels.password)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: "labels needs apiKey, or contractNumber and password",
      });
    } else if (labels.apiKey !== undefined && legacy) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "labels takes apiKey or contractNumber + password, not both" });
    }
  });

export const colissimoConfigSchema = z.object({
  okapiKey: secret("okapiKey", "developer.laposte.fr → your application → X-Okapi-Key"),
  trackingBaseUrl: providerBaseUrl("trackingBaseUrl", LAPOSTE_API_BASE_URL).default(LAPOSTE_API_BASE_URL),
  lang: z.enum(SUIVI_LANGUAGES).default("fr_FR"),
  /** Return labels through the Colissimo label web service; without it `returnLabel` is not offered. */
  labels: labelsSchema.optional(),
});

/** Parsed settings (base URLs and defaults filled in). */
export type ColissimoConfig = z.output<typeof colissimoConfigSchema>;
/** Settings as stored or typed by the merchant. */
export type ColissimoConfigInput = z.input<typeof colissimoConfigSchema>;
export type ColissimoLabelsConfig = NonNullable<ColissimoConfig["labels"]>;
