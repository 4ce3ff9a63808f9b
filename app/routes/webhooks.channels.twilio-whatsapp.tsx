import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

// Twilio's inbound WhatsApp webhook (the sender's "A message comes in" URL): verified, stored,
// queued like SMS; the number is the shop's channel account without the `whatsapp:` prefix.
export const action = async ({ request, context }: ActionFunctionArgs) => context.services.webhooks.twilioWhatsapp(request);

export const loader = async (_args: LoaderFunctionArgs) => new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
