/**
 * Loaded into the soak's service process only (`node --expose-gc --import <this file>`; nothing of
 * the product changes): on SIGUSR2 it runs a full garbage collection and appends the memory that
 * is left (what the process really retains) as one JSON line to SOAK_MEMORY_LOG. The soak compares
 * these samples instead of raw RSS peaks, which move by tens of MiB with where a sample falls
 * between two collections.
 */
import { appendFileSync } from 'node:fs';

const log = process.env.SOAK_MEMORY_LOG;
if (log && typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    globalThis.gc();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    appendFileSync(log, `${JSON.stringify({ at: Date.now(), rss, heapUsed, external, arrayBuffers })}\n`);
  });
}
