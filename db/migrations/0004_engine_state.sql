CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"shop_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"sender" text NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "consents_one" UNIQUE("shop_id","channel","address","sender")
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "pending" jsonb;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "focus" jsonb;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "escalation" jsonb;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "ai_paused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_customer" ON "consents" USING btree ("shop_id","customer_id");