/**
 * The fake Twilio API of `npm run bench` in a process of its own: it stands for Twilio's servers,
 * which are not on our machine, so its work must not run on the load generator's event loop.
 * Env: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN. Prints `listening <url>`.
 */
import { startFakeTwilioApi } from "../../tests/fakes/twilio-api.server";

const { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN } = process.env;
if (!TWILIO_ACCOUNT_SID || !TWILIO_AUTH_TOKEN) throw new Error("fake-twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
const api = await startFakeTwilioApi({ accountSid: TWILIO_ACCOUNT_SID, authToken: TWILIO_AUTH_TOKEN });
console.log(`listening ${api.url}`);
process.on("SIGTERM", () => void api.close().then(() => process.exit(0)));
