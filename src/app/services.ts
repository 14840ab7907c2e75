/** The application's services, built once by the composition root and shared by every request. */
import path from 'node:path';
import type { Config } from '../config.js';
import type { Db } from '../platform/database.js';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import { SecretBox } from '../platform/secret-box.js';
import { HttpClient } from '../platform/http-client.js';
import { RegistryService } from '../registries/registry.service.js';
import { RegistryStore } from '../registries/registry.store.js';
import { RegistryCredentialsBox } from '../registries/registry.credentials.js';
import { TokenService } from '../auth/token.service.js';
import { TokenStore } from '../auth/token.store.js';
import { SessionService } from '../auth/session.service.js';
import { SessionStore } from '../auth/session.store.js';
import { PackIngestService } from '../catalog/pack.ingest.js';
import { PackQueryService } from '../catalog/pack.query.service.js';
import { PackFacetsService } from '../catalog/pack-facets.service.js';
import { PackFacetsStore } from '../catalog/pack-facets.store.js';
import { PackPublishService } from '../catalog/pack.publish.service.js';
import { ArtifactAccessService } from '../catalog/artifact.access.js';
import { PackStore } from '../catalog/pack.store.js';
import { ArtifactRowStore } from '../catalog/artifact-rows.store.js';
import { CatalogChanges } from '../catalog/catalog.changes.js';
import { CatalogPageCache } from '../catalog/catalog.page-cache.js';
import { DefaultRegistrySeeder } from '../registries/default-registry.seeder.js';
import { AuditService } from '../audit/audit.service.js';
import { AuditStore } from '../audit/audit.store.js';
import { RateLimiter } from '../http/rate-limit.js';
import { SyncEngine } from '../registries/sync/engine.js';
import { ProfileService } from '../profiles/profile.service.js';
import { ProfileProposalService } from '../profiles/profile.proposal.service.js';
import { ChartKubeVersions } from '../profiles/profile.chart-kube-versions.js';
import { ProfileRepository } from '../profiles/profile.repository.js';
import { LayerResolutionCache } from '../profiles/profile.resolution-cache.js';
import { UploadSessionStore } from '../oci/oci.uploads.js';
import { OciUploadSessionStore } from '../oci/oci.upload-sessions.store.js';
import { PUSHED_MANIFEST_FORMAT } from '../oci/oci.manifest.js';
import { OciRegistryService } from '../oci/oci.registry.service.js';
import { OciPullService } from '../oci/oci.pulls.js';
import { OciPushService } from '../oci/oci.pushes.js';
import { OciReferrerService } from '../oci/oci.referrers.js';
import { ReferrerStore } from '../catalog/referrer.store.js';
import { OciSignatureGate } from '../oci/oci.signature-gate.js';
import type { SignatureReader } from '../catalog/signature.gate.js';
import { TrustPolicyStore } from '../registries/trust-policy.store.js';
import { TrustPolicyService } from '../registries/trust-policy.service.js';
import { HelmRepositoryService } from '../oci/helm.repository.js';
import { eventRecorder, EventStore } from '../events/event.store.js';
import { EventService } from '../events/event.service.js';
import { LiveCatalogEvents } from '../events/event.live.js';
import { CatalogEventWatch } from '../events/event.watch.js';
import { WebhookStore } from '../webhooks/webhook.store.js';
import { WebhookService } from '../webhooks/webhook.service.js';
import { WebhookSender } from '../webhooks/webhook.sender.js';
import { publicAddressLookup } from '../webhooks/webhook.url-policy.js';
import { WebhookDispatcher } from '../webhooks/webhook.dispatcher.js';
import { WebhookOwnerRights } from '../webhooks/webhook.owner-rights.js';
import { PgNotifications } from '../platform/pg-notifications.js';
import { SyncProgressHub } from '../registries/sync/progress.js';
import { SyncRunWatch } from '../registries/sync-run.watch.js';

export interface ServiceDeps {
  config: Config;
  prisma: Db;
  artifacts: ArtifactStore;
  logger: Logger;
  metrics: Metrics;
  /** The resolved key for stored credentials (SECRET_KEY, or the embedded default's generated one). */
  secretKey: string;
  /**
   * Catalog change notifications (startServer wires them to LISTEN/NOTIFY or the embedded database);
   * without them, a fresh unwired one: caches of catalog reads stay off.
   */
  catalogChanges?: CatalogChanges;
  /**
   * Live updates for subscriptions (startServer makes it LISTEN on PostgreSQL); without it, a fresh
   * one that delivers within this process until someone calls its `listen`.
   */
  notifications?: PgNotifications;
}

export interface Services {
  /** The catalog's store: the only SQL on packs, versions, tags and artifacts (the collector asks it too). */
  packStore: PackStore;
  /** When the catalog changed, here or in another replica: what catalog read caches key on. */
  catalogChanges: CatalogChanges;
  /** The registries' store: the only SQL on registries and sync runs. */
  registryStore: RegistryStore;
  registries: RegistryService;
  /** Registries' trust policies (signature verification). */
  trustPolicies: TrustPolicyService;
  /** Versions' signatures checked against their registries' policies (PackVersion.signatures). */
  signatureReader: SignatureReader;
  tokens: TokenService;
  /** Web console sessions (POST /session): a cookie that authenticates as the token it was made from. */
  sessions: SessionService;
  ingest: PackIngestService;
  packQueries: PackQueryService;
  /** The catalog page's facet counts (packFacets), cached at the catalog generation. */
  packFacets: PackFacetsService;
  packPublish: PackPublishService;
  artifactAccess: ArtifactAccessService;
  defaultRegistry: DefaultRegistrySeeder;
  audit: AuditService;
  rateLimiter: RateLimiter;
  /** Registry syncs (the scheduler in server.ts drives it; syncRegistry and the DEFAULT registry's seed call it). */
  sync: SyncEngine;
  /** Cluster profiles: resolution through the catalog, validation, storage, upgrade plans. */
  profiles: ProfileService;
  /** proposeProfile and profileUpgradeSteps: the solver over the catalog, validated by `profiles`. */
  proposals: ProfileProposalService;
  /** OCI blob upload sessions and their quotas (the composition root sweeps them on a timer). */
  ociUploads: UploadSessionStore;
  /** The catalog through the OCI distribution API (`/v2/`): pulls, and pushes into HOSTED registries. */
  oci: OciRegistryService;
  /** A Helm chart repository per registry (`/helm/<registry>/`). */
  helm: HelmRepositoryService;
  /** Catalog events (the outbox every write path records into): reads with the reader's rights. */
  events: EventService;
  /** The outbox's store (reads, retention). */
  eventStore: EventStore;
  /** Catalog events as they commit (one LISTEN per process), filtered per subscriber by `eventWatch`. */
  liveEvents: LiveCatalogEvents;
  eventWatch: CatalogEventWatch;
  /** Webhooks: their rules, pings and redeliveries. */
  webhooks: WebhookService;
  /** Sends due webhook deliveries (server.ts starts it on every replica). */
  webhookDispatcher: WebhookDispatcher;
  webhookStore: WebhookStore;
  /** LISTEN/NOTIFY for subscriptions: one listening connection per process. */
  notifications: PgNotifications;
  /** Sync runs' live progress (the engine reports, `syncRun(id)` subscribers follow). */
  syncProgress: SyncProgressHub;
  syncRunWatch: SyncRunWatch;
}

export function createServices(deps: ServiceDeps): Services {
  const policy = { allowAnonymousRead: deps.config.allowAnonymousRead };
  const tokenStore = new TokenStore(deps.prisma);
  const tokens = new TokenService(tokenStore, { adminToken: deps.config.adminToken });
  const secrets = new SecretBox(deps.secretKey);
  const limits = deps.config.limits;
  // Pack archives are read with the same limits wherever they come from (pushPack, OCI, Helm, syncs).
  const archiveLimits = deps.config.archiveLimits;
  const catalogChanges = deps.catalogChanges ?? new CatalogChanges();
  // Every catalog and registry write records its events in its own transaction; deletions and
  // deprecations also name the saved profiles they break (the profiles repository finds them).
  const profileRepository = new ProfileRepository(deps.prisma);
  const events = eventRecorder(profileRepository);
  const packStore = new PackStore(deps.prisma, new ArtifactRowStore(deps.prisma), catalogChanges, events);
  // Signatures are OCI referrers checked against each registry's trust policy, before any version is written.
  const trustPolicyStore = new TrustPolicyStore(deps.prisma, catalogChanges);
  const referrerStore = new ReferrerStore(deps.prisma, catalogChanges);
  const signatureGate = new OciSignatureGate({ policies: trustPolicyStore, referrers: referrerStore, artifacts: deps.artifacts, artifactRows: packStore.artifacts });
  const ingest = new PackIngestService(packStore, deps.artifacts, archiveLimits, signatureGate);
  const registryStore = new RegistryStore(deps.prisma, catalogChanges, events);
  const registryCredentials = new RegistryCredentialsBox(secrets);
  const notifications = deps.notifications ?? new PgNotifications();
  const syncProgress = new SyncProgressHub(notifications, notifications);
  const sync = new SyncEngine(
    { store: registryStore, sink: ingest, credentials: registryCredentials, http: new HttpClient(), metrics: deps.metrics, logger: deps.logger, progress: syncProgress },
    {
      tmpDir: path.join(deps.config.dataDir, 'tmp', 'sync'),
      maxArtifactBytes: archiveLimits.maxArchiveBytes,
      maxHelmIndexBytes: limits.maxHelmIndexBytes,
      leaseTtlMs: deps.config.syncLeaseMs,
    },
  );
  const registries = new RegistryService(registryStore, registryCredentials, policy, sync);
  const packQueries = new PackQueryService(packStore, policy, new CatalogPageCache(catalogChanges));
  const packFacets = new PackFacetsService(new PackFacetsStore(deps.prisma), policy, new CatalogPageCache(catalogChanges, 64));
  const packPublish = new PackPublishService(packStore, registries, ingest, { dataDir: deps.config.dataDir, maxUploadBytes: limits.maxUploadBytes });
  const artifactAccess = new ArtifactAccessService(
    packStore.artifacts,
    deps.artifacts,
    policy,
    { presignedDownloads: deps.config.s3PresignedDownloads },
    PUSHED_MANIFEST_FORMAT,
  );
  const ociUploads = UploadSessionStore.fromConfig(deps.config, { sessions: new OciUploadSessionStore(deps.prisma), artifacts: deps.artifacts });
  // Pulls and pushes see the same catalog; pushes also record the Artifact rows of what they upload.
  const ociPulls = new OciPullService({ catalog: packStore, artifacts: deps.artifacts, packQueries, artifactAccess, policy });
  const ociPushes = new OciPushService({
    artifacts: deps.artifacts,
    ingest,
    artifactAccess,
    publish: packPublish,
    uploads: ociUploads,
    artifactRows: packStore.artifacts,
  });
  const ociReferrers = new OciReferrerService({
    referrers: referrerStore,
    artifacts: deps.artifacts,
    artifactRows: packStore.artifacts,
    subjectLayer: (actor, name, digest) => ociPulls.subjectLayer(actor, name, digest),
    hasBlob: (actor, digest) => ociPushes.hasBlob(actor, digest),
    recheck: (registryId, pack, digests) => signatureGate.recheck(registryId, pack, digests),
  });
  const eventStore = new EventStore(deps.prisma);
  const eventService = new EventService(eventStore, registries, policy);
  const liveEvents = new LiveCatalogEvents(eventStore, notifications, {
    onError: (error) => deps.logger.warn({ err: error }, 'reading new catalog events for subscribers failed'),
  });
  const chartKubeVersions = new ChartKubeVersions(deps.artifacts);
  const profiles = new ProfileService(profileRepository, packQueries, policy, new LayerResolutionCache(catalogChanges));
  // Webhook deliveries go out through the one HTTP client (its own pool and timeout; the dispatcher
  // schedules retries, so the client makes none) to URLs checked by the registries' origin rule.
  const webhookConfig = deps.config.webhooks;
  const webhookUrlRules = { allowPrivateAddresses: webhookConfig.allowPrivateAddresses };
  const webhookStore = new WebhookStore(deps.prisma);
  const webhookDispatcher = new WebhookDispatcher(
    {
      store: webhookStore,
      sender: new WebhookSender(new HttpClient({
          timeoutMs: webhookConfig.timeoutMs,
          retries: 0,
          userAgent: 'pack-catalog-webhooks/1',
          // The address connected to is checked too, not only the one resolved before (DNS rebinding).
          connectLookup: webhookConfig.allowPrivateAddresses ? null : publicAddressLookup(),
        }), webhookUrlRules),
      // Each event's delivery asks whether the webhook's owner still reads its registry (revoked tokens stop it).
      ownerRights: new WebhookOwnerRights(
        { activeTokensOf: (owner, now) => tokenStore.activeOf(owner, now), registryOf: async (id) => (await registryStore.findByIds([id], {}))[0] ?? null },
        { bootstrapAdmin: !!deps.config.adminToken },
      ),
      openSecret: (sealed) => secrets.open(sealed),
      source: deps.config.publicUrl ?? 'urn:pack-catalog',
      logger: deps.logger,
    },
    webhookConfig,
  );
  return {
    eventStore,
    webhookStore,
    webhookDispatcher,
    webhooks: new WebhookService(webhookStore, registries, secrets, webhookUrlRules, webhookDispatcher),
    events: eventService,
    liveEvents,
    eventWatch: new CatalogEventWatch(eventService, liveEvents),
    notifications,
    syncProgress,
    syncRunWatch: new SyncRunWatch(registries, registryStore, syncProgress),
    packStore,
    catalogChanges,
    registryStore,
    ingest,
    packQueries,
    packFacets,
    packPublish,
    artifactAccess,
    defaultRegistry: new DefaultRegistrySeeder(sync, deps.logger),
    audit: new AuditService(new AuditStore(deps.prisma), deps.logger),
    rateLimiter: new RateLimiter(limits, { redisUrl: deps.config.redisUrl }),
    registries,
    trustPolicies: new TrustPolicyService(trustPolicyStore, registries, policy),
    signatureReader: signatureGate,
    sync,
    tokens,
    sessions: new SessionService(new SessionStore(deps.prisma), tokens, { ...deps.config.session, adminToken: deps.config.adminToken }),
    ociUploads,
    profiles,
    proposals: new ProfileProposalService(profiles, { packQueries, chartKubeVersions: (digests) => chartKubeVersions.of(digests) }, policy),
    oci: new OciRegistryService(ociUploads, ociPulls, ociPushes, ociReferrers),
    helm: new HelmRepositoryService(
      { registries, catalog: packStore, artifacts: deps.artifacts, policy },
      { tmpDir: path.join(deps.config.dataDir, 'tmp', 'helm'), archiveLimits },
    ),
  };
}
