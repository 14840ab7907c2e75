/**
 * The `kubeVersion` of the Helm charts a pack version carries (`charts/*.tgz`, each chart's
 * Chart.yaml), for the solver: a chart that refuses a cluster's Kubernetes version fails at install
 * time, so a proposal must not pair them. Read from the version's tarball in the artifact store
 * with the archive reader's checks and the chart limits, and kept by digest: a digest names its
 * bytes, so each version's tarball is read once per process, and a proposal pays only for versions
 * it has never seen. Unreadable charts restrict nothing (their pack was accepted; validation is not
 * redone here).
 */
import { Readable } from 'node:stream';
import { LRUCache } from 'lru-cache';
import { parse } from 'yaml';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import { scanArchive } from '../packs/pack.archive.js';
import { CHART_ARCHIVE_LIMITS } from '../packs/helm-chart.js';

/** Tarballs read at once: the first proposal over a fresh catalog must not open every archive together. */
const CONCURRENCY = 4;
const MAX_ENTRIES = 10_000;

const isChartArchive = (file: string) => /^(?:[^/]+\/)?charts\/[^/]+\.tgz$/.test(file);

async function kubeVersionOfChart(bytes: Buffer): Promise<string | null> {
  const scan = await scanArchive(Readable.from([bytes]), {
    limits: CHART_ARCHIVE_LIMITS,
    keep: (file) => file.split('/').length === 2 && file.endsWith('/Chart.yaml'),
  });
  for (const text of scan.kept.values()) {
    try {
      const chart = parse(text.toString('utf8')) as { kubeVersion?: unknown } | null;
      if (typeof chart?.kubeVersion === 'string' && chart.kubeVersion.trim() !== '') return chart.kubeVersion.trim();
    } catch {
      // A Chart.yaml that does not parse states no constraint we could honour.
    }
  }
  return null;
}

/** Several charts: each constraint must hold. Joined as one Helm constraint unless one has alternatives (then the first alone). */
function combined(constraints: string[]): string | null {
  if (constraints.length === 0) return null;
  return constraints.some((c) => c.includes('||')) ? constraints[0] : constraints.join(' ');
}

export class ChartKubeVersions {
  private readonly known = new LRUCache<string, { value: string | null }>({ max: MAX_ENTRIES });

  constructor(private readonly artifacts: ArtifactStore) {}

  /** undefined: the tarball could not be read now (not kept: read again next time). */
  private async read(digest: string): Promise<string | null | undefined> {
    try {
      const scan = await scanArchive(await this.artifacts.get(digest), { keep: isChartArchive });
      const constraints: string[] = [];
      for (const file of [...scan.kept.keys()].sort()) {
        const found = await kubeVersionOfChart(scan.kept.get(file)!);
        if (found) constraints.push(found);
      }
      return combined(constraints);
    } catch {
      // A tarball the store cannot give now: no constraint this time, read again next time.
      return undefined;
    }
  }

  /** The combined chart `kubeVersion` of each digest (null: none), read where not known yet. */
  async of(digests: readonly string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const missing = [...new Set(digests)].filter((d) => {
      const hit = this.known.get(d);
      if (hit) out.set(d, hit.value);
      return !hit;
    });
    for (let i = 0; i < missing.length; i += CONCURRENCY) {
      const batch = missing.slice(i, i + CONCURRENCY);
      const values = await Promise.all(batch.map((d) => this.read(d)));
      batch.forEach((d, j) => {
        const value = values[j];
        if (value !== undefined) this.known.set(d, { value });
        out.set(d, value ?? null);
      });
    }
    return out;
  }
}
