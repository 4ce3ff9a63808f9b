import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

// Twilio's inbound SMS webhook (set as the number's "A message comes in" URL): the edge verifies,
// stores and enqueues; the reply goes out later through the REST API, so TwiML stays empty.
export const action = async ({ request, context }: ActionFunctionArgs) => context.services.webhooks.twilio(request);

export const loader = async (_args: LoaderFunctionArgs) => new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
