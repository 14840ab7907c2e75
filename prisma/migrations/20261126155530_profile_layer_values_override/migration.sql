-- AlterTable
ALTER TABLE "ProfileLayer" ADD COLUMN     "valuesOverride" TEXT;
