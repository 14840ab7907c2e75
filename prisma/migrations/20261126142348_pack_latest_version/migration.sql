-- AlterTable
ALTER TABLE "Pack" ADD COLUMN     "latestVersion" TEXT;
