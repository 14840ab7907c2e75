/** Small helpers the adapters share: bounded parallelism and per-fetch temp folders. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FetchedPack } from './adapter.js';

/**
 * Runs `work` over `items` with at most `limit` at once; resolves with the results in input order.
 * The first rejection stops starting new work and is rethrown once the running ones settle.
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}

/** A fresh temp folder under `tmpDir` and a function that removes it. */
export async function makeWorkDir(tmpDir: string, prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  await mkdir(tmpDir, { recursive: true });
  const dir = await mkdtemp(path.join(tmpDir, `${prefix.replace(/[^\w.-]/g, '_').slice(0, 40)}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A FetchedPack whose cleanup removes the whole work folder. */
export function fetchedPack(archive: string | Omit<FetchedPack, 'cleanup'>, remove: () => Promise<void>): FetchedPack {
  return { ...(typeof archive === 'string' ? { archivePath: archive } : archive), cleanup: remove };
}

/** Runs `produce` in a fresh work folder (it answers the tarball's path, and its digest and size when known); the folder is removed when `produce` fails. */
export async function inWorkDir(
  tmpDir: string,
  prefix: string,
  produce: (dir: string) => Promise<string | Omit<FetchedPack, 'cleanup'>>,
): Promise<FetchedPack> {
  const work = await makeWorkDir(tmpDir, prefix);
  try {
    return fetchedPack(await produce(work.dir), work.remove);
  } catch (error) {
    await work.remove().catch(() => undefined);
    throw error;
  }
}

/** An error's message, for item errors and run messages (never a stack). */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 1000 ? `${message.slice(0, 997)}...` : message;
}
