ALTER TABLE "responses" DROP CONSTRAINT "responses_campaign_id_campaigns_id_fk";
--> statement-breakpoint
ALTER TABLE "responses" DROP CONSTRAINT "responses_unit_id_org_units_id_fk";
--> statement-breakpoint
CREATE FUNCTION responses_keep_their_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'campaigns' AND EXISTS (SELECT 1 FROM responses WHERE campaign_id = OLD.id)
    OR TG_TABLE_NAME = 'org_units' AND EXISTS (SELECT 1 FROM responses WHERE unit_id = OLD.id) THEN
    RAISE EXCEPTION '% % has responses: it cannot be deleted', TG_TABLE_NAME, OLD.id USING ERRCODE = '23503';
  END IF;
  RETURN OLD;
END $$;
--> statement-breakpoint
CREATE TRIGGER responses_keep_their_campaign BEFORE DELETE ON "campaigns" FOR EACH ROW EXECUTE FUNCTION responses_keep_their_references();
--> statement-breakpoint
CREATE TRIGGER responses_keep_their_unit BEFORE DELETE ON "org_units" FOR EACH ROW EXECUTE FUNCTION responses_keep_their_references();
