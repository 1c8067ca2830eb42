CREATE TABLE "campaign_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"actor" text NOT NULL,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_units" (
	"campaign_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	CONSTRAINT "campaign_units_campaign_id_unit_id_pk" PRIMARY KEY("campaign_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"year" integer NOT NULL,
	"province_id" uuid NOT NULL,
	"instrument_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"sampled" boolean DEFAULT true NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"collection_start" date NOT NULL,
	"collection_end" date NOT NULL,
	"margin_of_error" double precision NOT NULL,
	"confidence_level" double precision NOT NULL,
	"channels" text[] NOT NULL,
	"scoring" jsonb NOT NULL,
	"sample_design" jsonb,
	"sample_seed" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "frame_contacts" (
	"record_id" uuid PRIMARY KEY NOT NULL,
	"sealed" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "frame_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"dossier_code" text NOT NULL,
	"procedure_code" text,
	"procedure_name" text,
	"field_code" text,
	"unit_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"subject_type" text NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"stratum" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_unit_links" (
	"from_id" uuid NOT NULL,
	"to_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"effective_on" date NOT NULL,
	CONSTRAINT "org_unit_links_from_id_to_id_pk" PRIMARY KEY("from_id","to_id")
);
--> statement-breakpoint
CREATE TABLE "org_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text,
	"agency_code" text,
	"name" text NOT NULL,
	"full_name" text NOT NULL,
	"name_en" text,
	"search_name" text NOT NULL,
	"level" text NOT NULL,
	"unit_type" text,
	"parent_id" uuid,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sample_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"record_id" uuid,
	"dossier_code" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"stratum" text NOT NULL,
	"role" text NOT NULL,
	"reserve_rank" integer,
	"inclusion_probability" double precision NOT NULL,
	"base_weight" double precision NOT NULL,
	"status" text NOT NULL,
	"replaces_slot_id" uuid,
	"reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_events" ADD CONSTRAINT "campaign_events_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_units" ADD CONSTRAINT "campaign_units_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_units" ADD CONSTRAINT "campaign_units_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_province_id_org_units_id_fk" FOREIGN KEY ("province_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_instrument_id_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frame_contacts" ADD CONSTRAINT "frame_contacts_record_id_frame_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."frame_records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frame_records" ADD CONSTRAINT "frame_records_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frame_records" ADD CONSTRAINT "frame_records_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_unit_links" ADD CONSTRAINT "org_unit_links_from_id_org_units_id_fk" FOREIGN KEY ("from_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_unit_links" ADD CONSTRAINT "org_unit_links_to_id_org_units_id_fk" FOREIGN KEY ("to_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_slots" ADD CONSTRAINT "sample_slots_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_slots" ADD CONSTRAINT "sample_slots_record_id_frame_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."frame_records"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_slots" ADD CONSTRAINT "sample_slots_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_events_campaign_idx" ON "campaign_events" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaigns_year_idx" ON "campaigns" USING btree ("year");--> statement-breakpoint
CREATE INDEX "campaigns_province_idx" ON "campaigns" USING btree ("province_id");--> statement-breakpoint
CREATE UNIQUE INDEX "frame_records_campaign_dossier_key" ON "frame_records" USING btree ("campaign_id","dossier_code");--> statement-breakpoint
CREATE INDEX "frame_records_stratum_idx" ON "frame_records" USING btree ("campaign_id","stratum");--> statement-breakpoint
CREATE INDEX "org_units_parent_idx" ON "org_units" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "org_units_search_idx" ON "org_units" USING btree ("search_name");--> statement-breakpoint
CREATE UNIQUE INDEX "org_units_code_valid_from_key" ON "org_units" USING btree ("code","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "org_units_agency_code_valid_from_key" ON "org_units" USING btree ("agency_code","valid_from");--> statement-breakpoint
CREATE INDEX "sample_slots_campaign_idx" ON "sample_slots" USING btree ("campaign_id","stratum");--> statement-breakpoint
CREATE UNIQUE INDEX "sample_slots_campaign_dossier_key" ON "sample_slots" USING btree ("campaign_id","dossier_code");