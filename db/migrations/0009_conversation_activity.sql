ALTER TABLE "conversations" ADD COLUMN "last_inbound_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "ai_replied_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "messages_shop_inbound_created" ON "messages" USING btree ("shop_id","created_at") WHERE "messages"."direction" = 'inbound';--> statement-breakpoint
CREATE INDEX "messages_shop_failed_created" ON "messages" USING btree ("shop_id","created_at") WHERE "messages"."status" = 'failed';