-- AlterTable
ALTER TABLE "PackVersion" ADD COLUMN     "lifecycle" JSONB;
