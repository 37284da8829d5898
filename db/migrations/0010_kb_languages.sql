ALTER TABLE "kb_docs" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "kb_docs" ADD COLUMN "translation_of" text;--> statement-breakpoint
CREATE INDEX "kb_docs_translation_idx" ON "kb_docs" USING btree ("translation_of","language");--> statement-breakpoint
ALTER TABLE "kb_chunks" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "kb_chunks" ADD COLUMN "translation_of" text;--> statement-breakpoint
-- The full-text configuration follows the chunk's language; dropping the column drops its GIN index too.
ALTER TABLE "kb_chunks" DROP COLUMN "tsv";--> statement-breakpoint
ALTER TABLE "kb_chunks" ADD COLUMN "tsv" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector((case language when 'es' then 'spanish'::regconfig when 'de' then 'german'::regconfig when 'fr' then 'french'::regconfig else 'english'::regconfig end), coalesce(title, '')), 'A') || setweight(to_tsvector((case language when 'es' then 'spanish'::regconfig when 'de' then 'german'::regconfig when 'fr' then 'french'::regconfig else 'english'::regconfig end), coalesce(section_path, '')), 'B') || setweight(to_tsvector((case language when 'es' then 'spanish'::regconfig when 'de' then 'german'::regconfig when 'fr' then 'french'::regconfig else 'english'::regconfig end), body), 'C')) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "kb_chunks_tsv_idx" ON "kb_chunks" USING gin ("tsv");
