-- Trigram indexes for the catalog's `search` (ILIKE '%text%' on name or display name).
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension (a database owner may create
-- it); the embedded PGlite database loads it at start (src/platform/database.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Pack_name_trgm_idx" ON "Pack" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Pack_displayName_trgm_idx" ON "Pack" USING GIN ("displayName" gin_trgm_ops);
