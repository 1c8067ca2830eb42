ALTER TABLE "campaigns" ADD COLUMN "calibration" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "after_service" jsonb;