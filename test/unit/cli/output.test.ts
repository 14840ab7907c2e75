import { displayWidth, formatBytes, formatDetails, formatIssues, formatResourceMinimum, formatTable, Output, shortDigest } from '../../../src/cli/output.js';
import { PassThrough } from 'node:stream';

describe('formatTable', () => {
  it('aligns columns two spaces apart under upper-cased headers, with no trailing spaces', () => {
    const rows = [
      { name: 'crossplane', layer: 'ADDON', tags: ['2.x', '2.1.x'] },
      { name: 'ubuntu', layer: 'OS', tags: [] },
    ];
    const text = formatTable(rows, [
      { header: 'name', value: (r) => r.name },
      { header: 'layer', value: (r) => r.layer },
      { header: 'tags', value: (r) => r.tags },
    ]);
    expect(text.split('\n')).toEqual(['NAME        LAYER  TAGS', 'crossplane  ADDON  2.x,2.1.x', 'ubuntu      OS     -']);
  });

  it('shows empty cells as -, keeps each row on one line, and measures wide characters', () => {
    const text = formatTable([{ a: null, b: 'two\nlines' }, { a: '日本', b: '' }], [
      { header: 'a', value: (r) => r.a },
      { header: 'b', value: (r) => r.b },
    ]);
    expect(text.split('\n')).toEqual(['A     B', '-     two lines', '日本  -']);
    expect(displayWidth('日本')).toBe(4);
  });
});

describe('formatIssues', () => {
  it('adds layer and pack columns only when issues carry them', () => {
    const packIssues = formatIssues([{ code: 'VALUES_MISSING', severity: 'error', path: 'values.yaml', message: 'no values' }]);
    expect(packIssues.split('\n')[0]).toBe('SEVERITY  CODE            PATH         MESSAGE');
    const profileIssues = formatIssues([
      { code: 'LAYER_ORDER', severity: 'ERROR', layerIndex: 1, pack: 'ubuntu', path: null, message: 'OS after K8S' },
    ]);
    expect(profileIssues.split('\n')).toEqual([
      'SEVERITY  CODE         LAYER  PACK    PATH  MESSAGE',
      'ERROR     LAYER_ORDER  1      ubuntu  -     OS after K8S',
    ]);
  });
});

describe('small formatters', () => {
  it('formats bytes, digests and details', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(100 * 1024 ** 2)).toBe('100 MiB');
    expect(shortDigest(`sha256:${'ab'.repeat(32)}`)).toBe('sha256:abababababab');
    expect(shortDigest(null)).toBe('-');
    expect(formatDetails([['name', 'x'], ['registries', ['a', 'b']]])).toBe('name:       x\nregistries: a,b');
  });
});

describe('formatResourceMinimum', () => {
  it('gives each resource its unit: cpu in millicores, memory in MiB (GiB when whole), disk in GiB', () => {
    expect(formatResourceMinimum('cpu', 100)).toBe('100m (0.1 CPU)');
    expect(formatResourceMinimum('cpu', 2000)).toBe('2000m (2 CPU)');
    expect(formatResourceMinimum('memory', 256)).toBe('256 MiB');
    expect(formatResourceMinimum('memory', 2048)).toBe('2 GiB');
    expect(formatResourceMinimum('memory', 1536)).toBe('1536 MiB');
    expect(formatResourceMinimum('disk', 20)).toBe('20 GiB');
    expect(formatResourceMinimum('diskSize', 40)).toBe('40 GiB');
    expect(formatResourceMinimum('gpu', 1)).toBe('1');
    expect(formatResourceMinimum('cpu', null)).toBeNull();
  });
});

describe('Output', () => {
  function capture(format: 'table' | 'json') {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const read = (stream: PassThrough) => () => (stream.read() ?? '').toString();
    return { out: new Output(format, stdout, stderr), stdout: read(stdout), stderr: read(stderr) };
  }

  it('prints JSON with -o json and the table otherwise; notes go to stderr and only for people', () => {
    const json = capture('json');
    json.out.table([{ n: 1 }], [{ header: 'n', value: (r) => r.n }], 'none');
    json.out.note('hello');
    expect(JSON.parse(json.stdout())).toEqual([{ n: 1 }]);
    expect(json.stderr()).toBe('');

    const table = capture('table');
    table.out.table([], [{ header: 'n', value: () => 1 }], 'No rows.');
    table.out.note('hello');
    expect(table.stdout()).toBe('No rows.\n');
    expect(table.stderr()).toBe('hello\n');
  });
});
