-- CreateTable
CREATE TABLE "OciUploadSession" (
    "uuid" UUID NOT NULL,
    "repository" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActivity" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "size" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "OciUploadSession_pkey" PRIMARY KEY ("uuid")
);

-- CreateTable
CREATE TABLE "OciUploadChunk" (
    "sessionUuid" UUID NOT NULL,
    "offset" BIGINT NOT NULL,
    "size" BIGINT NOT NULL,
    "digest" TEXT NOT NULL,

    CONSTRAINT "OciUploadChunk_pkey" PRIMARY KEY ("sessionUuid","offset")
);

-- CreateIndex
CREATE INDEX "OciUploadSession_owner_idx" ON "OciUploadSession"("owner");

-- CreateIndex
CREATE INDEX "OciUploadSession_lastActivity_idx" ON "OciUploadSession"("lastActivity");

-- CreateIndex
CREATE INDEX "OciUploadChunk_digest_idx" ON "OciUploadChunk"("digest");

-- AddForeignKey
ALTER TABLE "OciUploadChunk" ADD CONSTRAINT "OciUploadChunk_sessionUuid_fkey" FOREIGN KEY ("sessionUuid") REFERENCES "OciUploadSession"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;
