ALTER TABLE "campaigns" ADD COLUMN "peer_groups" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "province_figure" text DEFAULT 'pooled' NOT NULL;