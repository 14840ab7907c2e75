-- AlterEnum
ALTER TYPE "WebhookDeliveryStatus" ADD VALUE 'SKIPPED';
