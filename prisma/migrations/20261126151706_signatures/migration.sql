-- CreateEnum
CREATE TYPE "TrustEnforcement" AS ENUM ('NONE', 'WARN', 'REQUIRE');

-- CreateTable
CREATE TABLE "ArtifactReferrer" (
    "registryId" UUID NOT NULL,
    "pack" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "subjectDigest" TEXT NOT NULL,
    "subjectLayer" TEXT,
    "mediaType" TEXT NOT NULL,
    "artifactType" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "blobs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "annotations" JSONB,
    "tag" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArtifactReferrer_pkey" PRIMARY KEY ("registryId","pack","digest")
);

-- CreateTable
CREATE TABLE "RegistryTrustPolicy" (
    "registryId" UUID NOT NULL,
    "enforce" "TrustEnforcement" NOT NULL DEFAULT 'NONE',
    "keys" JSONB NOT NULL DEFAULT '[]',
    "updatedBy" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RegistryTrustPolicy_pkey" PRIMARY KEY ("registryId")
);

-- CreateIndex
CREATE INDEX "ArtifactReferrer_subjectDigest_idx" ON "ArtifactReferrer"("subjectDigest");

-- CreateIndex
CREATE INDEX "ArtifactReferrer_subjectLayer_idx" ON "ArtifactReferrer"("subjectLayer");
