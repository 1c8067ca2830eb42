CREATE TABLE "computations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"actor" text NOT NULL,
	"responses" integer NOT NULL,
	"results" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"computation_id" uuid NOT NULL,
	"replaces_id" uuid,
	"note" text,
	"actor" text NOT NULL,
	"results" jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "par_rule" jsonb;--> statement-breakpoint
ALTER TABLE "computations" ADD CONSTRAINT "computations_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_computation_id_computations_id_fk" FOREIGN KEY ("computation_id") REFERENCES "public"."computations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "computations_campaign_idx" ON "computations" USING btree ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "publications_campaign_version_key" ON "publications" USING btree ("campaign_id","version");--> statement-breakpoint
CREATE FUNCTION publications_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a publication never changes: publish a correction that replaces it' USING ERRCODE = '55000';
END $$;
--> statement-breakpoint
CREATE TRIGGER publications_are_immutable BEFORE UPDATE OR DELETE ON "publications" FOR EACH ROW EXECUTE FUNCTION publications_are_immutable();
