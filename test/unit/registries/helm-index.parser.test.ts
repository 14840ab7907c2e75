/**
 * Helm index parsing: the fields the adapter needs, the refusals (coded), and a large index parsed
 * in a worker while the event loop keeps running.
 */
import {
  HelmIndexError,
  INLINE_HELM_INDEX_BYTES,
  parseHelmIndex,
  parseHelmIndexText,
} from '../../../src/registries/adapters/helm/helm-index.parser.js';

const URL_ = 'http://charts.example/index.yaml';
const MIB = 1024 * 1024;

/** An index laid out as `helm repo index` writes it, of at least `bytes` bytes. */
function generateIndex(bytes: number): { text: string; charts: number; versions: number } {
  const lines = ['apiVersion: v1', 'entries:'];
  let size = 0;
  let versions = 0;
  let charts = 0;
  while (size < bytes) {
    const chart = `chart-${charts++}`;
    lines.push(`  ${chart}:`);
    for (let v = 0; v < 40; v++, versions++) {
      const block = [
        '  - apiVersion: v2',
        `    appVersion: 1.${v}.0`,
        '    created: "2026-01-01T00:00:00.000000000Z"',
        '    description: A Helm chart for Kubernetes that deploys something useful for testing',
        `    digest: ${(versions % 0xffffffff).toString(16).padStart(8, '0').repeat(8)}`,
        `    home: https://example.com/${chart}`,
        '    maintainers:',
        '    - email: someone@example.com',
        '      name: someone',
        `    name: ${chart}`,
        `    urls:`,
        `    - charts/${chart}-1.${v}.0.tgz`,
        `    - https://mirror.example/${chart}-1.${v}.0.tgz`,
        `    version: 1.${v}.0`,
      ];
      for (const line of block) {
        lines.push(`  ${line}`);
        size += line.length + 3;
      }
    }
  }
  lines.push('generated: "2026-01-01T00:00:00Z"', '');
  return { text: lines.join('\n'), charts, versions };
}

async function rejection(promise: Promise<unknown>): Promise<HelmIndexError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HelmIndexError);
  return error as HelmIndexError;
}

describe('Helm index parsing', () => {
  it('keeps the fields the adapter uses: name, version as text, the first URL, digest, created as written', () => {
    const text = [
      'apiVersion: v1',
      'entries:',
      '  a:',
      '    - version: 1.0.0',
      '      name: a',
      '      urls: ["", a-1.0.0.tgz, https://mirror/a-1.0.0.tgz]',
      '      digest: abc',
      '      created: 2026-01-01T00:00:00.123456789Z',
      '      description: ignored',
      '    - version: 2',
      '      urls: [a-2.tgz]',
      '    - just a string',
      '  b: not-a-list',
      '  a: [{ version: 3.0.0, urls: [a-3.tgz] }]',
      '',
    ].join('\n');
    // A later duplicate key wins, as in Helm's reader (the second `a`).
    expect(parseHelmIndexText(text, URL_)).toEqual({ a: [{ version: '3.0.0', url: 'a-3.tgz' }], b: null });
    expect(parseHelmIndexText(text.replace(/\n {2}a: \[.*\]\n/, '\n'), URL_)).toEqual({
      a: [
        { name: 'a', version: '1.0.0', url: 'a-1.0.0.tgz', digest: 'abc', created: '2026-01-01T00:00:00.123456789Z' },
        { version: '2', url: 'a-2.tgz' },
        null,
      ],
      b: null,
    });
    expect(parseHelmIndexText('apiVersion: v1\n', URL_)).toEqual({});
  });

  it('refuses what is not an index with a coded UPSTREAM_UNAVAILABLE error naming the URL', () => {
    const cases: Array<[string, RegExp]> = [
      ['<html>nope</html>', /not a Helm repository index/],
      ['entries: [1, 2]\n', /no "entries" mapping/],
      ['name: x\n', /no "apiVersion" or "entries"/],
      ['entries: [1, 2]\nfoo: [', /not valid YAML/],
    ];
    for (const [text, message] of cases) {
      let caught: unknown;
      try {
        parseHelmIndexText(text, URL_);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HelmIndexError);
      expect(caught).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'HELM_INDEX_INVALID', extensions: { reason: 'HELM_INDEX_INVALID' } });
      expect((caught as Error).message).toMatch(message);
      expect((caught as Error).message).toContain('charts.example');
    }
  });

  it('refuses aliases that repeat chart lists beyond the text size (work stays linear)', () => {
    const versions = Array.from({ length: 2000 }, (_, i) => `{version: 1.${i}.0, urls: [x.tgz]}`).join(', ');
    const charts = Array.from({ length: 3000 }, (_, i) => `  c${i}: *v`).join('\n');
    const text = `apiVersion: v1\nentries:\n  base: &v [${versions}]\n${charts}\n`;
    let caught: unknown;
    try {
      parseHelmIndexText(text, URL_);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ reason: 'HELM_INDEX_ALIASES' });
    // A few aliases within the budget are fine.
    expect(Object.keys(parseHelmIndexText(`apiVersion: v1\nentries:\n  a: &v [{version: 1.0.0, urls: [a.tgz]}]\n  b: *v\n`, URL_))).toEqual(['a', 'b']);
  });

  it('refuses an index over MAX_HELM_INDEX_BYTES before parsing it', async () => {
    const body = Buffer.alloc(2 * MIB + 1, 0x20);
    const error = await rejection(parseHelmIndex(body, URL_, { maxBytes: 2 * MIB }));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'HELM_INDEX_TOO_LARGE' });
    expect(error.message).toMatch(/MAX_HELM_INDEX_BYTES \(2097152\)/);
  });

  describe('a large index', () => {
    const big = generateIndex(6 * MIB);
    const body = Buffer.from(big.text);

    /** Runs `parse` while a 1 ms interval counts how often the event loop got to run it. */
    async function ticksDuring<T>(parse: () => Promise<T>): Promise<{ result: T; ticks: number }> {
      let ticks = 0;
      const interval = setInterval(() => ticks++, 1);
      try {
        const result = await parse();
        return { result, ticks };
      } finally {
        clearInterval(interval);
      }
    }

    it('parses in a worker, correctly, while the event loop keeps ticking', async () => {
      expect(body.length).toBeGreaterThan(INLINE_HELM_INDEX_BYTES);
      const { result, ticks } = await ticksDuring(() => parseHelmIndex(body, URL_, { maxBytes: 32 * MIB }));
      expect(Object.keys(result)).toHaveLength(big.charts);
      expect(Object.values(result).reduce((n, list) => n + (list?.length ?? 0), 0)).toBe(big.versions);
      expect(result['chart-7']![3]).toEqual({
        name: 'chart-7',
        version: '1.3.0',
        url: 'charts/chart-7-1.3.0.tgz',
        digest: (7 * 40 + 3).toString(16).padStart(8, '0').repeat(8),
        created: '2026-01-01T00:00:00.000000000Z',
      });
      // The same parse on the main thread lets the interval run at most once (after it ends):
      const inline = await ticksDuring(() => parseHelmIndex(body, URL_, { maxBytes: 32 * MIB, inlineMaxBytes: Infinity }));
      expect(inline.ticks).toBeLessThanOrEqual(1);
      expect(inline.result).toEqual(result);
      // ...through the worker, it kept running all along.
      expect(ticks).toBeGreaterThan(10);
    });

    it('stops a parse that runs past its time limit, or past its memory limit, with a coded error', async () => {
      const slow = await rejection(parseHelmIndex(body, URL_, { maxBytes: 32 * MIB, timeoutMs: 1 }));
      expect(slow).toMatchObject({ reason: 'HELM_INDEX_TIMEOUT' });
      const hungry = await rejection(parseHelmIndex(body, URL_, { maxBytes: 32 * MIB, heapMb: 8 }));
      expect(hungry).toMatchObject({ reason: 'HELM_INDEX_TOO_COMPLEX' });
      expect(hungry.message).toMatch(/more than 8 MB/);
      // The process is unharmed and the next parse works.
      expect(Object.keys(await parseHelmIndex(body, URL_, { maxBytes: 32 * MIB }))).toHaveLength(big.charts);
    });

    it('stops when the sync is cancelled', async () => {
      const controller = new AbortController();
      const parsing = parseHelmIndex(body, URL_, { maxBytes: 32 * MIB, signal: controller.signal });
      controller.abort(new Error('sync cancelled'));
      await expect(parsing).rejects.toThrow('sync cancelled');
    });
  });
});
