-- CreateEnum
CREATE TYPE "CatalogEventType" AS ENUM ('PACK_VERSION_PUBLISHED', 'PACK_VERSION_DELETED', 'PACK_TAG_MOVED', 'PACK_LIFECYCLE_CHANGED', 'SYNC_FAILED', 'SYNC_RECOVERED', 'PROFILE_INVALIDATED');

-- CreateTable
CREATE TABLE "CatalogEvent" (
    "id" BIGSERIAL NOT NULL,
    "type" "CatalogEventType" NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "registryId" UUID,
    "registryName" TEXT,
    "pack" TEXT,
    "version" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "CatalogEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CatalogEvent_occurredAt_idx" ON "CatalogEvent"("occurredAt");

-- CreateIndex
CREATE INDEX "CatalogEvent_registryId_id_idx" ON "CatalogEvent"("registryId", "id");

-- CreateIndex
CREATE INDEX "CatalogEvent_pack_id_idx" ON "CatalogEvent"("pack", "id");
