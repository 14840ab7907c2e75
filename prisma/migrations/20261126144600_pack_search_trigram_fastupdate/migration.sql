-- The search indexes take each pack row as it is written (fastupdate off): with GIN's pending
-- list, rows a sync had just written sat in an unindexed list that every search read whole (11 ms
-- for one search at 10,000 packs) until a vacuum merged it. Pack rows are written once per pack
-- name and on a newer version, so the per-row index cost is small.
ALTER INDEX "Pack_name_trgm_idx" SET (fastupdate = off);
ALTER INDEX "Pack_displayName_trgm_idx" SET (fastupdate = off);
SELECT gin_clean_pending_list('"Pack_name_trgm_idx"'::regclass), gin_clean_pending_list('"Pack_displayName_trgm_idx"'::regclass);
