import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

// Resend's webhook (inbound `email.received` and delivery events), Svix-signed: verified, the
// email's content fetched, stored, queued like any customer message.
export const action = async ({ request, context }: ActionFunctionArgs) => context.services.webhooks.resend(request);

export const loader = async (_args: LoaderFunctionArgs) => new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
