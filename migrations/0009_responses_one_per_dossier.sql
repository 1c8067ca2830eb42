-- Hand-written: a response that answers a sample slot carries the slot's dossier code, and one posted with the
-- code of a drawn dossier answers its slot (what ingestion does from now on), before the index below holds a
-- campaign to one response per dossier. Duplicates already stored make the index fail, naming the key.
UPDATE "responses" r SET "dossier_code" = s."dossier_code" FROM "sample_slots" s WHERE s."id" = r."slot_id" AND r."dossier_code" IS NULL;--> statement-breakpoint
UPDATE "responses" r SET "slot_id" = s."id" FROM "sample_slots" s WHERE r."slot_id" IS NULL AND s."campaign_id" = r."campaign_id" AND s."dossier_code" = r."dossier_code" AND s."status" <> 'reserve';--> statement-breakpoint
UPDATE "sample_slots" s SET "status" = 'responded', "updated_at" = now() WHERE s."status" NOT IN ('responded', 'reserve') AND EXISTS (SELECT 1 FROM "responses" r WHERE r."slot_id" = s."id");--> statement-breakpoint
CREATE UNIQUE INDEX "responses_campaign_dossier_key" ON "responses" USING btree ("campaign_id","dossier_code") WHERE "responses"."dossier_code" is not null;
