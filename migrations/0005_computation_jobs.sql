ALTER TABLE "computations" ALTER COLUMN "results" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "computations" ADD COLUMN "status" text DEFAULT 'done' NOT NULL;--> statement-breakpoint
ALTER TABLE "computations" ADD COLUMN "progress" double precision DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "computations" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "computations" ADD COLUMN "finished_at" timestamp with time zone;