import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

// WhatsApp Cloud API (Meta) webhook: GET is the subscription handshake (hub.verify_token →
// hub.challenge), POST carries customer messages and delivery statuses (X-Hub-Signature-256).
export const loader = async ({ request, context }: LoaderFunctionArgs) => context.services.webhooks.metaWhatsapp(request);

export const action = async ({ request, context }: ActionFunctionArgs) => context.services.webhooks.metaWhatsapp(request);
