// @ts-check
/**
 * Reads a Helm repository index (index.yaml) down to the few fields the HELM adapter uses. Plain
 * JavaScript so that one file runs as a worker thread both from the sources (under Jest) and from
 * dist/ (tsc copies it with `allowJs`); helm-index.parser.ts also calls it inline for small indexes.
 *
 * It never throws for bad input: it returns `{ ok: false, reason }` and the caller words the error,
 * because only plain data crosses the thread boundary.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import jsYaml from 'js-yaml';

/** The task name in `workerData`, so importing this module in some other worker does nothing. */
export const HELM_INDEX_TASK = 'helm-index';

/**
 * @typedef {{ name?: string, version?: string, url?: string, digest?: string, created?: string }} HelmIndexEntry
 * @typedef {Record<string, Array<HelmIndexEntry | null> | null>} HelmIndexEntries
 *   Chart name to its versions; `null` where the index has something other than a list or a mapping.
 * @typedef {{ ok: true, entries: HelmIndexEntries }
 *   | { ok: false, reason: 'INVALID_YAML' | 'NO_ENTRIES_MAPPING' | 'NOT_AN_INDEX' | 'ALIASED_ENTRIES', detail?: string }} HelmIndexReadResult
 */

/** @param {unknown} value */
function isMapping(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {unknown} value */
function scalarText(value) {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : undefined;
}

/**
 * @param {string} text the index as text
 * @returns {HelmIndexReadResult}
 */
export function readHelmIndex(text) {
  let document;
  try {
    // CORE_SCHEMA keeps `created:` a string (as before, and as Helm writes it); `json` lets a later
    // duplicate key win instead of failing the whole index, as Helm's own reader does.
    document = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'INVALID_YAML', detail: message.split('\n')[0] };
  }
  if (!isMapping(document)) return { ok: false, reason: 'NO_ENTRIES_MAPPING' };
  const record = /** @type {{ apiVersion?: unknown, entries?: unknown }} */ (document);
  if (record.entries !== undefined && record.entries !== null && !isMapping(record.entries)) return { ok: false, reason: 'NO_ENTRIES_MAPPING' };
  if (record.entries === undefined && record.apiVersion === undefined) return { ok: false, reason: 'NOT_AN_INDEX' };
  const source = /** @type {Record<string, unknown>} */ (record.entries ?? {});

  // An alias makes one YAML node appear many times: 1,000 references to a list of 10,000 versions
  // would cost ten million steps. Every element looked at is paid from a budget of the text's
  // length (a node written out needs at least a byte), so the work stays linear in the index size.
  let budget = text.length;
  /** @type {HelmIndexEntries} */
  const entries = {};
  for (const [chart, versions] of Object.entries(source)) {
    if (!Array.isArray(versions)) {
      entries[chart] = null;
      continue;
    }
    budget -= versions.length;
    if (budget < 0) return { ok: false, reason: 'ALIASED_ENTRIES', detail: chart };
    /** @type {Array<HelmIndexEntry | null>} */
    const compacted = [];
    for (const entry of versions) {
      if (!isMapping(entry)) {
        compacted.push(null);
        continue;
      }
      const { name, version, urls, digest, created } = /** @type {Record<string, unknown>} */ (entry);
      /** @type {HelmIndexEntry} */
      const compact = {};
      if (Array.isArray(urls)) {
        // Helm downloads from the first URL; the others are mirrors this service never uses.
        for (const url of urls) {
          if (--budget < 0) return { ok: false, reason: 'ALIASED_ENTRIES', detail: chart };
          if (typeof url === 'string' && url !== '') {
            compact.url = url;
            break;
          }
        }
      }
      if (typeof name === 'string') compact.name = name;
      const versionText = scalarText(version);
      if (versionText !== undefined) compact.version = versionText;
      if (typeof digest === 'string') compact.digest = digest;
      if (typeof created === 'string') compact.created = created;
      compacted.push(compact);
    }
    entries[chart] = compacted;
  }
  return { ok: true, entries };
}

if (!isMainThread && parentPort && workerData?.task === HELM_INDEX_TASK) {
  const text = new TextDecoder('utf-8').decode(workerData.bytes);
  parentPort.postMessage(readHelmIndex(text));
}
