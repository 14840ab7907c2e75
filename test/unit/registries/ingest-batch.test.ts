/**
 * The sync's ingest batch (catalog/pack.ingest.batch.ts) over a recording store: objects are made
 * durable (`sync()`) before any row of their batch is written; rows go out in batches; one refused
 * row fails alone; a name and version never appears twice in one transaction; an aborted run
 * writes nothing more; the workers are held back while the writer is behind.
 */
import { IngestBatch, type IngestBatchDeps } from '../../../src/catalog/pack.ingest.batch.js';
import type { BatchedOutcome, BatchedVersion } from '../../../src/catalog/pack.store.js';
import type { ReadPack } from '../../../src/packs/pack.types.js';
import type { SinkIngestRequest } from '../../../src/registries/sync/sink.js';

const REGISTRY = { id: '00000000-0000-4000-8000-000000000001', name: 'r', kind: 'HELM' as const };

function request(name: string, version: string): SinkIngestRequest {
  return { registry: REGISTRY, archivePath: `${name}@${version}`, publishedBy: 'sync', mode: 'sync' };
}

/** A store that records what happened in which order; `refuse` names versions whose rows fail. */
function recorder(options: { refuse?: string; writeDelayMs?: number } = {}) {
  const events: string[] = [];
  const transactions: string[][] = [];
  const deps: IngestBatchDeps = {
    async prepare(req) {
      const [name, version] = req.archivePath!.split('@');
      return { pack: { manifest: { name, version } } as unknown as ReadPack, warnings: [], digest: `sha256:${'a'.repeat(64)}`, size: 1 };
    },
    async storeObjects(source) {
      events.push(`put ${source.path}`);
      return null;
    },
    artifacts: {
      async sync() {
        events.push('sync');
      },
    },
    store: {
      async writeVersions(_registryId: string, writes: readonly BatchedVersion[]): Promise<BatchedOutcome[]> {
        const keys = writes.map((w) => `${w.pack.manifest.name}@${w.pack.manifest.version}`);
        transactions.push(keys);
        if (options.writeDelayMs) await new Promise((resolve) => setTimeout(resolve, options.writeDelayMs));
        if (options.refuse && keys.includes(options.refuse)) throw new Error(`row of ${options.refuse} refused`);
        events.push(`rows ${keys.join(',')}`);
        return writes.map(() => ({ status: 'created', versionId: 'id' }));
      },
    },
  };
  return { deps, events, transactions };
}

describe('IngestBatch', () => {
  it('makes every object of a batch durable before its rows, and writes them together', async () => {
    const { deps, events, transactions } = recorder();
    const batch = new IngestBatch(deps, REGISTRY, { maxRows: 10, lingerMs: 10_000 });
    const added = await Promise.all(['1', '2', '3'].map((v) => batch.add(request('p', `1.${v}.0`))));
    expect(transactions).toEqual([]);
    await batch.close();
    expect(await Promise.all(added.map((a) => a.committed))).toEqual(['1', '2', '3'].map((v) => ({ status: 'created', name: 'p', version: `1.${v}.0` })));
    expect(transactions).toEqual([['p@1.1.0', 'p@1.2.0', 'p@1.3.0']]);
    expect(events.indexOf('sync')).toBeGreaterThan(events.lastIndexOf('put p@1.3.0'));
    expect(events.indexOf('rows p@1.1.0,p@1.2.0,p@1.3.0')).toBeGreaterThan(events.indexOf('sync'));
  });

  it('writes a full batch at once, and another after the linger', async () => {
    const { deps, transactions } = recorder();
    const batch = new IngestBatch(deps, REGISTRY, { maxRows: 2, lingerMs: 20 });
    const first = await batch.add(request('p', '1.0.0'));
    const second = await batch.add(request('p', '2.0.0'));
    await Promise.all([first.committed, second.committed]);
    const third = await batch.add(request('p', '3.0.0'));
    await third.committed; // written by the linger timer: close() was not called
    expect(transactions).toEqual([['p@1.0.0', 'p@2.0.0'], ['p@3.0.0']]);
    await batch.close();
  });

  it('fails only the version whose row is refused; the rest of its batch is written one by one', async () => {
    const { deps, transactions } = recorder({ refuse: 'bad@1.0.0' });
    const batch = new IngestBatch(deps, REGISTRY, { maxRows: 10, lingerMs: 10_000 });
    const added = await Promise.all([request('a', '1.0.0'), request('bad', '1.0.0'), request('b', '1.0.0')].map((r) => batch.add(r)));
    await batch.close();
    const settled = await Promise.allSettled(added.map((a) => a.committed));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('row of bad@1.0.0 refused');
    expect(transactions).toEqual([['a@1.0.0', 'bad@1.0.0', 'b@1.0.0'], ['a@1.0.0'], ['bad@1.0.0'], ['b@1.0.0']]);
  });

  it('never puts one name and version twice in a transaction', async () => {
    const { deps, transactions } = recorder();
    const batch = new IngestBatch(deps, REGISTRY, { maxRows: 10, lingerMs: 10_000 });
    const first = await batch.add(request('p', '1.0.0'));
    const again = await batch.add(request('p', '1.0.0'));
    await batch.close();
    await Promise.all([first.committed, again.committed]);
    expect(transactions).toEqual([['p@1.0.0'], ['p@1.0.0']]);
  });

  it('writes nothing more once the run is aborted: queued versions are refused with its reason', async () => {
    const { deps, events, transactions } = recorder();
    const controller = new AbortController();
    const batch = new IngestBatch(deps, REGISTRY, { maxRows: 10, lingerMs: 10_000, signal: controller.signal });
    const added = await batch.add(request('p', '1.0.0'));
    const reason = new Error('lease lost');
    controller.abort(reason);
    await batch.close();
    await expect(added.committed).rejects.toBe(reason);
    await expect(batch.add(request('p', '2.0.0'))).rejects.toThrow();
    expect(transactions).toEqual([]);
    expect(events).not.toContain('sync');
  });

  it('holds the workers back while two batches wait for the writer', async () => {
    const { deps, transactions } = recorder();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const write = deps.store.writeVersions.bind(deps.store);
    deps.store.writeVersions = async (registryId, writes) => {
      await gate;
      return write(registryId, writes);
    };
    const batch = new IngestBatch(deps, REGISTRY, { maxRows: 2, lingerMs: 10_000 });
    // Rows 1-2 go out at once (a full batch) and wait at the gate; row 3 is queued behind them.
    for (const v of ['1', '2', '3']) await batch.add(request('p', `${v}.0.0`));
    // Row 4 makes two batches' worth: its add waits until the writer has caught up.
    let fourthAdded = false;
    const fourth = batch.add(request('p', '4.0.0')).then(() => (fourthAdded = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fourthAdded).toBe(false);
    open();
    await fourth;
    expect(transactions).toEqual([['p@1.0.0', 'p@2.0.0'], ['p@3.0.0', 'p@4.0.0']]);
    await batch.close();
  });
});
