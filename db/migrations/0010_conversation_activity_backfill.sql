-- Conversations that existed before 0009: their latest customer message and the AI's first reply.
UPDATE "conversations" c SET
  "last_inbound_at" = (SELECT max(m."created_at") FROM "messages" m WHERE m."conversation_id" = c."id" AND m."direction" = 'inbound'),
  "ai_replied_at" = (SELECT min(m."created_at") FROM "messages" m WHERE m."conversation_id" = c."id" AND m."author" = 'ai');
