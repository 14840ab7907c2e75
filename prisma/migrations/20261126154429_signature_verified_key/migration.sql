-- AlterTable
ALTER TABLE "ArtifactReferrer" ADD COLUMN     "verifiedKey" TEXT;
