/**
 * Settings of the twilio-whatsapp channel plugin (one installation per shop). The same Twilio
 * account settings as twilio-sms (Account SID, Auth Token, optional `apiBaseUrl` and
 * `statusCallbackUrl`): WhatsApp goes
 * through the same Programmable Messaging API, only the addresses differ. The WhatsApp sender is the
 * shop's channel account (`OutboundMessage.from`), not a setting.
 */
import { twilioSmsConfigSchema, type TwilioSmsConfig, type TwilioSmsConfigInput } from "../twilio-sms/config";

export { TWILIO_API_BASE_URL } from "../twilio-sms/config";

export const twilioWhatsappConfigSchema = twilioSmsConfigSchema;

/** Parsed settings (`apiBaseUrl` filled in). */
export type TwilioWhatsappConfig = TwilioSmsConfig;
/** Settings as stored or typed by the merchant (`apiBaseUrl` optional). */
export type TwilioWhatsappConfigInput = TwilioSmsConfigInput;
