CREATE TABLE "publication_approvals" (
	"publication_id" uuid PRIMARY KEY NOT NULL,
	"approver_name" text NOT NULL,
	"approver_position" text NOT NULL,
	"decision_number" text NOT NULL,
	"decision_date" date NOT NULL,
	"document_sha256" text,
	"actor" text NOT NULL,
	"approved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "publication_approvals" ADD CONSTRAINT "publication_approvals_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written: an approval never changes either, like the
-- publication it approves; and the publications made before approvals existed were public at once, so they
-- stay public, approved when they were published, by whoever published them, with no decision on record.
CREATE FUNCTION publication_approvals_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'an approval never changes: approve a correction that replaces the publication' USING ERRCODE = '55000';
END $$;
--> statement-breakpoint
CREATE TRIGGER publication_approvals_are_immutable BEFORE UPDATE OR DELETE ON "publication_approvals" FOR EACH ROW EXECUTE FUNCTION publication_approvals_are_immutable();
--> statement-breakpoint
INSERT INTO "publication_approvals" ("publication_id", "approver_name", "approver_position", "decision_number", "decision_date", "actor", "approved_at")
SELECT "id", 'không ghi nhận', 'không ghi nhận', 'không ghi nhận', ("published_at" AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, "actor", "published_at"
FROM "publications";
