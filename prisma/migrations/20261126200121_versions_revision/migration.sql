-- The listing keeps each pack's version rows in an in-process cache keyed by (pack id,
-- "versionsRevision") (src/catalog/catalog.version-rows.ts) and reads the revision with every page:
-- the revision must move with every write to a pack's PackVersion rows, whoever makes it (push,
-- sync, delete, lifecycle, deprecate, another replica, raw SQL). Triggers are the one place that
-- sees them all, in the writer's own transaction.
-- AlterTable
ALTER TABLE "Pack" ADD COLUMN     "versionsRevision" BIGINT NOT NULL DEFAULT 0;

-- One UPDATE of the touched packs per statement, whatever its row count (statement-level, with
-- transition tables): a batch ingest of a thousand versions costs one more statement, not a thousand.
-- Packs are locked in id order so two writers touching the same packs cannot deadlock on them.
CREATE FUNCTION "pack_versions_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM 1 FROM "Pack" WHERE "id" IN (SELECT "packId" FROM new_versions) ORDER BY "id" FOR NO KEY UPDATE;
    UPDATE "Pack" SET "versionsRevision" = "versionsRevision" + 1 WHERE "id" IN (SELECT "packId" FROM new_versions);
  ELSIF TG_OP = 'UPDATE' THEN
    -- A version moved to another pack changes both.
    PERFORM 1 FROM "Pack" WHERE "id" IN (SELECT "packId" FROM old_versions UNION SELECT "packId" FROM new_versions) ORDER BY "id" FOR NO KEY UPDATE;
    UPDATE "Pack" SET "versionsRevision" = "versionsRevision" + 1
    WHERE "id" IN (SELECT "packId" FROM old_versions UNION SELECT "packId" FROM new_versions);
  ELSIF TG_OP = 'DELETE' THEN
    -- A pack deleted with its versions (ON DELETE CASCADE) is gone already: nothing to update.
    PERFORM 1 FROM "Pack" WHERE "id" IN (SELECT "packId" FROM old_versions) ORDER BY "id" FOR NO KEY UPDATE;
    UPDATE "Pack" SET "versionsRevision" = "versionsRevision" + 1 WHERE "id" IN (SELECT "packId" FROM old_versions);
  ELSE
    -- TRUNCATE has no transition table: every pack's versions may have changed.
    UPDATE "Pack" SET "versionsRevision" = "versionsRevision" + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "PackVersion_revision_insert"
  AFTER INSERT ON "PackVersion"
  REFERENCING NEW TABLE AS new_versions
  FOR EACH STATEMENT EXECUTE FUNCTION "pack_versions_revision"();

CREATE TRIGGER "PackVersion_revision_update"
  AFTER UPDATE ON "PackVersion"
  REFERENCING OLD TABLE AS old_versions NEW TABLE AS new_versions
  FOR EACH STATEMENT EXECUTE FUNCTION "pack_versions_revision"();

CREATE TRIGGER "PackVersion_revision_delete"
  AFTER DELETE ON "PackVersion"
  REFERENCING OLD TABLE AS old_versions
  FOR EACH STATEMENT EXECUTE FUNCTION "pack_versions_revision"();

CREATE TRIGGER "PackVersion_revision_truncate"
  AFTER TRUNCATE ON "PackVersion"
  FOR EACH STATEMENT EXECUTE FUNCTION "pack_versions_revision"();
