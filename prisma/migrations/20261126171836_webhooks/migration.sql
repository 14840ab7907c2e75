-- CreateEnum
CREATE TYPE "WebhookFormat" AS ENUM ('JSON', 'CLOUDEVENTS');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "Webhook" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "events" "CatalogEventType"[] DEFAULT ARRAY[]::"CatalogEventType"[],
    "registryIds" UUID[] DEFAULT ARRAY[]::UUID[],
    "packs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "format" "WebhookFormat" NOT NULL DEFAULT 'JSON',
    "secret" BYTEA NOT NULL,
    "insecure" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "failing" BOOLEAN NOT NULL DEFAULT false,
    "failingSince" TIMESTAMPTZ(3),
    "owner" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "webhookId" UUID NOT NULL,
    "eventId" BIGINT,
    "orderKey" TEXT NOT NULL DEFAULT '',
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "lastAttemptAt" TIMESTAMPTZ(3),
    "responseStatus" INTEGER,
    "latencyMs" INTEGER,
    "responseBody" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_orderKey_eventId_idx" ON "WebhookDelivery"("webhookId", "orderKey", "eventId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_idx" ON "WebhookDelivery"("webhookId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_eventId_webhookId_key" ON "WebhookDelivery"("eventId", "webhookId");

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "CatalogEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Fan-out: every event written to the outbox gets one delivery per matching enabled webhook, in the
-- event's own transaction (one statement per INSERT into CatalogEvent, whatever its row count), and
-- dispatchers are woken on commit. A webhook created later does not receive older events.
CREATE FUNCTION "webhook_fan_out"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WebhookDelivery" ("id", "webhookId", "eventId", "orderKey", "status", "nextAttemptAt", "createdAt")
  SELECT gen_random_uuid(), w."id", e."id", coalesce(e."registryId"::text, '') || '/' || coalesce(e."pack", ''), 'PENDING', now(), now()
  FROM new_events e
  JOIN "Webhook" w ON w."enabled"
    AND (cardinality(w."events") = 0 OR e."type" = ANY (w."events"))
    AND (cardinality(w."registryIds") = 0 OR e."registryId" = ANY (w."registryIds"))
    AND (cardinality(w."packs") = 0 OR e."pack" IS NULL OR e."pack" = ANY (w."packs"))
  ORDER BY e."id";
  IF FOUND THEN
    PERFORM pg_notify('webhook_deliveries', '');
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "CatalogEvent_webhook_fan_out"
  AFTER INSERT ON "CatalogEvent"
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION "webhook_fan_out"();
