-- Answers one byte each (issue 18): each smallint[] of before becomes its elements as bytes, in order, 255 (the
-- scoring core's MISSING) for a null. A function, because a column's new value may not come from a subquery.
CREATE FUNCTION "sipas_answer_bytes"("answers" smallint[]) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT decode(coalesce(string_agg(lpad(to_hex(coalesce(x, 255)), 2, '0'), '' ORDER BY i), ''), 'hex')
  FROM unnest("answers") WITH ORDINALITY AS u(x, i)
$$;--> statement-breakpoint
ALTER TABLE "responses" ALTER COLUMN "answers" SET DATA TYPE bytea USING "sipas_answer_bytes"("answers");--> statement-breakpoint
DROP FUNCTION "sipas_answer_bytes"(smallint[]);
