-- CreateEnum
CREATE TYPE "Layer" AS ENUM ('KERNEL', 'OS', 'K8S', 'CNI', 'CSI', 'ADDON');

-- CreateEnum
CREATE TYPE "RegistryKind" AS ENUM ('DEFAULT', 'HOSTED', 'OCI', 'HELM', 'DIRECTORY', 'CATALOG');

-- CreateEnum
CREATE TYPE "ProfileType" AS ENUM ('CLUSTER', 'INFRA', 'ADDON', 'SYSTEM');

-- CreateEnum
CREATE TYPE "SyncState" AS ENUM ('NEVER', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('VIEWER', 'PUBLISHER', 'ADMIN');

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('SUCCESS', 'FAILURE');

-- CreateTable
CREATE TABLE "Registry" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "RegistryKind" NOT NULL,
    "endpoint" TEXT,
    "basePath" TEXT,
    "repositories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "priority" INTEGER NOT NULL DEFAULT 0,
    "syncIntervalSeconds" INTEGER NOT NULL DEFAULT 86400,
    "insecure" BOOLEAN NOT NULL DEFAULT false,
    "credentials" BYTEA,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "syncState" "SyncState" NOT NULL DEFAULT 'NEVER',
    "lastRunAt" TIMESTAMP(3),
    "lastSuccessAt" TIMESTAMP(3),
    "syncMessage" TEXT,
    "nextSyncAt" TIMESTAMP(3),
    "upstreamMarker" TEXT,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),

    CONSTRAINT "Registry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pack" (
    "id" UUID NOT NULL,
    "registryId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "layer" "Layer" NOT NULL,
    "addonType" TEXT,
    "addonSubType" TEXT,
    "cloudTypes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "group" TEXT,
    "logoDigest" TEXT,
    "deprecated" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Pack_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PackVersion" (
    "id" UUID NOT NULL,
    "packId" UUID NOT NULL,
    "registryId" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "values" TEXT NOT NULL DEFAULT '',
    "presets" JSONB,
    "schema" JSONB,
    "readme" TEXT,
    "annotations" JSONB,
    "constraints" JSONB,
    "charts" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "manifests" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "cloudTypes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "packJson" JSONB NOT NULL,
    "deprecated" BOOLEAN NOT NULL DEFAULT false,
    "removedAt" TIMESTAMP(3),
    "upstreamMarker" TEXT,
    "message" TEXT,
    "publishedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PackVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PackTag" (
    "id" UUID NOT NULL,
    "packId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "tag" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PackTag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Artifact" (
    "digest" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "mediaType" TEXT NOT NULL DEFAULT 'application/gzip',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Artifact_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" UUID NOT NULL,
    "registryId" UUID NOT NULL,
    "state" "SyncState" NOT NULL,
    "force" BOOLEAN NOT NULL DEFAULT false,
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "added" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "artifactsFetched" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncItemError" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "item" TEXT NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "SyncItemError_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClusterProfile" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "type" "ProfileType" NOT NULL,
    "cloudType" TEXT NOT NULL,
    "description" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClusterProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProfileLayer" (
    "id" UUID NOT NULL,
    "profileId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "packName" TEXT NOT NULL,
    "versionRef" TEXT NOT NULL,
    "registryName" TEXT,
    "values" TEXT,
    "presets" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "ProfileLayer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProfileVariable" (
    "id" UUID NOT NULL,
    "profileId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "displayName" TEXT,
    "description" TEXT,
    "format" TEXT NOT NULL DEFAULT 'string',
    "defaultValue" TEXT,
    "required" BOOLEAN NOT NULL DEFAULT false,
    "regex" TEXT,
    "options" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "hidden" BOOLEAN NOT NULL DEFAULT false,
    "readonly" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ProfileVariable_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "registries" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "target" TEXT,
    "outcome" "AuditOutcome" NOT NULL,
    "message" TEXT,
    "details" JSONB,
    "requestId" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Registry_name_key" ON "Registry"("name");

-- CreateIndex
CREATE INDEX "Registry_kind_idx" ON "Registry"("kind");

-- CreateIndex
CREATE INDEX "Registry_nextSyncAt_idx" ON "Registry"("nextSyncAt");

-- CreateIndex
CREATE INDEX "Pack_name_idx" ON "Pack"("name");

-- CreateIndex
CREATE INDEX "Pack_layer_name_idx" ON "Pack"("layer", "name");

-- CreateIndex
CREATE INDEX "Pack_addonType_idx" ON "Pack"("addonType");

-- CreateIndex
CREATE INDEX "Pack_cloudTypes_idx" ON "Pack" USING GIN ("cloudTypes");

-- CreateIndex
CREATE UNIQUE INDEX "Pack_registryId_name_key" ON "Pack"("registryId", "name");

-- CreateIndex
CREATE INDEX "PackVersion_registryId_idx" ON "PackVersion"("registryId");

-- CreateIndex
CREATE INDEX "PackVersion_digest_idx" ON "PackVersion"("digest");

-- CreateIndex
CREATE UNIQUE INDEX "PackVersion_packId_version_key" ON "PackVersion"("packId", "version");

-- CreateIndex
CREATE INDEX "PackTag_versionId_idx" ON "PackTag"("versionId");

-- CreateIndex
CREATE UNIQUE INDEX "PackTag_packId_tag_key" ON "PackTag"("packId", "tag");

-- CreateIndex
CREATE INDEX "SyncRun_registryId_createdAt_idx" ON "SyncRun"("registryId", "createdAt");

-- CreateIndex
CREATE INDEX "SyncItemError_runId_idx" ON "SyncItemError"("runId");

-- CreateIndex
CREATE INDEX "ClusterProfile_name_idx" ON "ClusterProfile"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ClusterProfile_name_version_key" ON "ClusterProfile"("name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ProfileLayer_profileId_position_key" ON "ProfileLayer"("profileId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ProfileVariable_profileId_name_key" ON "ProfileVariable"("profileId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_actor_at_idx" ON "AuditEvent"("actor", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- AddForeignKey
ALTER TABLE "Pack" ADD CONSTRAINT "Pack_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackVersion" ADD CONSTRAINT "PackVersion_packId_fkey" FOREIGN KEY ("packId") REFERENCES "Pack"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackVersion" ADD CONSTRAINT "PackVersion_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackVersion" ADD CONSTRAINT "PackVersion_digest_fkey" FOREIGN KEY ("digest") REFERENCES "Artifact"("digest") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackTag" ADD CONSTRAINT "PackTag_packId_fkey" FOREIGN KEY ("packId") REFERENCES "Pack"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PackTag" ADD CONSTRAINT "PackTag_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PackVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncRun" ADD CONSTRAINT "SyncRun_registryId_fkey" FOREIGN KEY ("registryId") REFERENCES "Registry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncItemError" ADD CONSTRAINT "SyncItemError_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProfileLayer" ADD CONSTRAINT "ProfileLayer_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "ClusterProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProfileVariable" ADD CONSTRAINT "ProfileVariable_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "ClusterProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;
