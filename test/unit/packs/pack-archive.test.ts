import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { checkArchivePath, createPackTarball, extractPackArchive, scanArchive } from '../../../src/packs/pack.archive.js';
import { readPackArchive, readPackArchiveStream } from '../../../src/packs/pack.reader.js';
import { MAX_TRAILING_PADDING } from '../../../src/packs/tar.framing.js';
import type { PackIssue } from '../../../src/packs/pack.types.js';
import {
  buildGzipBomb,
  buildTar,
  buildTarGz,
  gzipWithZeros,
  minimalPackEntries,
  paxRecords,
  tarHeader,
  tempDir,
  writeTemp,
  removeTempDirs,
  type TarEntrySpec,
} from '../../helpers/tar-builder.js';

afterAll(removeTempDirs);

function codes(issues: PackIssue[]): string[] {
  return issues.filter((issue) => issue.severity === 'error').map((issue) => issue.code);
}

async function readEntries(entries: TarEntrySpec[]) {
  return readPackArchive(await writeTemp(buildTarGz(entries)));
}

describe('checkArchivePath', () => {
  it('normalises harmless paths', () => {
    expect(checkArchivePath('./demo-1.0.0//charts/./a.tgz')).toEqual({ ok: true, path: 'demo-1.0.0/charts/a.tgz' });
    expect(checkArchivePath('./')).toEqual({ ok: true, path: '' });
    expect(checkArchivePath('a..b/c')).toMatchObject({ ok: true, path: 'a..b/c' });
  });

  it.each([
    ['../evil', '../evil', 'ARCHIVE_PATH_TRAVERSAL'],
    ['demo/../../evil', 'demo/../../evil', 'ARCHIVE_PATH_TRAVERSAL'],
    ['/etc/passwd', '/etc/passwd', 'ARCHIVE_PATH_TRAVERSAL'],
    ['C:/Windows/evil', 'C:/Windows/evil', 'ARCHIVE_PATH_TRAVERSAL'],
    ['a backslash ..', 'demo\\..\\evil', 'ARCHIVE_PATH_TRAVERSAL'],
    ['a backslash', 'demo\\file', 'ARCHIVE_PATH_INVALID'],
    ['a 5000-character path', `demo/${'a'.repeat(5000)}`, 'ARCHIVE_PATH_INVALID'],
  ])('refuses %s', (_label, raw, code) => {
    expect(checkArchivePath(raw)).toMatchObject({ ok: false, issue: { code, severity: 'error' } });
  });
});

describe('readPackArchive on hostile archives', () => {
  it('accepts the minimal pack the other cases break', async () => {
    const result = await readEntries(minimalPackEntries());
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it.each<[string, TarEntrySpec, string]>([
    ['a ../ path', { path: '../evil', body: 'x' }, 'ARCHIVE_PATH_TRAVERSAL'],
    ['a nested ../ path', { path: 'demo-1.0.0/../../evil', body: 'x' }, 'ARCHIVE_PATH_TRAVERSAL'],
    ['an absolute path', { path: '/abs/evil', body: 'x' }, 'ARCHIVE_PATH_TRAVERSAL'],
    ['a symlink', { path: 'demo-1.0.0/link', type: 'symlink', linkpath: '/etc/passwd' }, 'ARCHIVE_LINK'],
    ['a hard link', { path: 'demo-1.0.0/hard', type: 'hardlink', linkpath: 'demo-1.0.0/pack.json' }, 'ARCHIVE_LINK'],
    ['a character device', { path: 'demo-1.0.0/tty', type: 'char' }, 'ARCHIVE_DEVICE'],
    ['a block device', { path: 'demo-1.0.0/sda', type: 'block' }, 'ARCHIVE_DEVICE'],
    ['a FIFO', { path: 'demo-1.0.0/pipe', type: 'fifo' }, 'ARCHIVE_DEVICE'],
    ['a sparse file', { path: 'demo-1.0.0/sparse', type: 'sparse' }, 'ARCHIVE_UNSUPPORTED_ENTRY'],
  ])('refuses %s', async (_label, hostile, code) => {
    const result = await readEntries([...minimalPackEntries(), hostile]);
    expect(result.ok).toBe(false);
    expect(codes(result.issues)).toEqual([code]);
    expect(result.issues[0].message).toMatch(/\S/);
  });

  it('reports every hostile entry at once', async () => {
    const result = await readEntries([
      { path: '../one', body: 'x' },
      ...minimalPackEntries(),
      { path: 'demo-1.0.0/link', type: 'symlink', linkpath: '../../x' },
      { path: '/two', body: 'x' },
    ]);
    expect(codes(result.issues)).toEqual(['ARCHIVE_PATH_TRAVERSAL', 'ARCHIVE_LINK', 'ARCHIVE_PATH_TRAVERSAL']);
  });

  it('refuses more entries than the limit, and stops there', async () => {
    const entries: TarEntrySpec[] = [...minimalPackEntries()];
    for (let i = 0; entries.length < 1001; i++) entries.push({ path: `demo-1.0.0/many/${i}.txt`, body: '' });
    const file = await writeTemp(buildTarGz(entries));
    expect((await readPackArchive(file, { limits: { maxEntries: 1001 } })).ok).toBe(true);
    const refused = await readPackArchive(file, { limits: { maxEntries: 1000 } });
    expect(codes(refused.issues)).toEqual(['ARCHIVE_TOO_MANY_ENTRIES']);
    const scan = await scanArchive(file, { limits: { maxEntries: 1000 } });
    expect(scan.stats.entries).toBe(1001);
    expect(scan.complete).toBe(false);
  });

  it('refuses 10,001 entries under the default limit', async () => {
    const entries: TarEntrySpec[] = [];
    for (let i = 0; i < 10_001; i++) entries.push({ path: `demo/${i}`, type: 'directory' });
    const result = await readEntries(entries);
    expect(codes(result.issues)).toEqual(['ARCHIVE_TOO_MANY_ENTRIES']);
  });

  it('stops reading a gzip bomb as soon as it unpacks past the limit', async () => {
    const bomb = await buildGzipBomb(50 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const file = await writeTemp(bomb);
    const limits = { maxDecompressedBytes: 1024 * 1024 };
    const result = await readPackArchive(file, { limits });
    expect(codes(result.issues)).toEqual(['ARCHIVE_TOO_LARGE']);
    // The header declares 50 MiB: refused before the body is inflated at all.
    const scan = await scanArchive(file, { limits });
    expect(scan.stats.decompressedBytes).toBeLessThanOrEqual(1024 * 1024);
  });

  it('stops inflating when entries are small but their sum is too large', async () => {
    const gzip = gzipSync(buildTar(Array.from({ length: 40 }, (_, i) => ({ path: `d/${i}`, body: Buffer.alloc(64 * 1024) }))));
    const scan = await scanArchive(await writeTemp(gzip), { limits: { maxDecompressedBytes: 1024 * 1024 } });
    expect(codes(scan.issues)).toEqual(['ARCHIVE_TOO_LARGE']);
    expect(scan.stats.decompressedBytes).toBeLessThan(1024 * 1024 + 128 * 1024);
  });

  it('refuses an archive over the compressed size limit, from a file and from a stream', async () => {
    const bytes = buildTarGz(minimalPackEntries());
    const fromFile = await readPackArchive(await writeTemp(bytes), { limits: { maxArchiveBytes: 100 } });
    expect(codes(fromFile.issues)).toEqual(['ARCHIVE_TOO_LARGE']);
    const fromStream = await readPackArchiveStream(Readable.from([bytes.subarray(0, 50), bytes.subarray(50)]), { limits: { maxArchiveBytes: 100 } });
    expect(codes(fromStream.issues)).toEqual(['ARCHIVE_TOO_LARGE']);
  });

  it('refuses data that is not gzip: a plain tar, a zip, an empty file', async () => {
    for (const bytes of [buildTar(minimalPackEntries()), Buffer.from('PK\x03\x04 not a zip really'), Buffer.alloc(0)]) {
      expect(codes((await readPackArchive(await writeTemp(bytes))).issues)).toEqual(['ARCHIVE_NOT_GZIP']);
    }
  });

  it('refuses gzip data that is not a tar', async () => {
    const result = await readPackArchive(await writeTemp(gzipSync(Buffer.from('hello, this is not a tarball at all\n'.repeat(100)))));
    expect(codes(result.issues)).toEqual(['ARCHIVE_CORRUPT']);
  });

  it('refuses a tar compressed twice instead of unpacking the inner layer', async () => {
    const result = await readPackArchive(await writeTemp(gzipSync(buildTarGz(minimalPackEntries()))));
    expect(codes(result.issues)).toEqual(['ARCHIVE_CORRUPT']);
  });

  it('refuses a truncated gzip stream and a truncated tar', async () => {
    const bytes = buildTarGz([...minimalPackEntries(), { path: 'demo-1.0.0/big.bin', body: Buffer.alloc(200_000, 7) }]);
    const cut = await readPackArchive(await writeTemp(bytes.subarray(0, Math.floor(bytes.length / 2))));
    expect(codes(cut.issues)).toEqual(['ARCHIVE_CORRUPT']);
    expect(cut.issues[0].message).toMatch(/truncated/);

    const tar = buildTar([...minimalPackEntries(), { path: 'demo-1.0.0/big.bin', body: Buffer.alloc(200_000, 7) }]);
    const shortTar = await readPackArchive(await writeTemp(gzipSync(tar.subarray(0, tar.length - 100_000))));
    expect(codes(shortTar.issues)).toEqual(['ARCHIVE_CORRUPT']);
  });

  it('refuses a file that does not exist without leaking its path', async () => {
    const result = await readPackArchive('/nonexistent/dir/pack.tar.gz');
    expect(codes(result.issues)).toEqual(['PACK_UNREADABLE']);
    expect(result.issues[0].message).not.toContain('/nonexistent');
  });

  it('refuses an archive whose many pack.json files would add up in memory', async () => {
    const entries: TarEntrySpec[] = [];
    for (let i = 0; i < 20; i++) entries.push({ path: `p${i}/pack.json`, body: 'x'.repeat(1000) });
    const result = await readPackArchive(await writeTemp(buildTarGz(entries)), { limits: { maxFileBytes: 1024 } });
    expect(codes(result.issues)).toEqual(['ARCHIVE_TOO_LARGE']);
  });

  it('keeps small files only up to the cap', async () => {
    const result = await readEntries(minimalPackEntries('demo-1.0.0', { 'README.md': 'x'.repeat(2048) }));
    expect(result.ok).toBe(true);
    const capped = await readPackArchive(await writeTemp(buildTarGz(minimalPackEntries('demo-1.0.0', { 'values.yaml': `a: "${'x'.repeat(2048)}"` }))), {
      limits: { maxFileBytes: 1024 },
    });
    expect(capped.issues.map(({ code, path: at }) => ({ code, at }))).toEqual([{ code: 'PACK_FILE_TOO_LARGE', at: 'values.yaml' }]);
    const bigLogo = await readPackArchive(await writeTemp(buildTarGz(minimalPackEntries('demo-1.0.0', { 'logo.png': 'x'.repeat(2048) }))), {
      limits: { maxFileBytes: 1024 },
    });
    expect(bigLogo.ok && bigLogo.pack.logo).toBeNull();
    expect(bigLogo.issues).toMatchObject([{ code: 'PACK_FILE_TOO_LARGE', severity: 'warning', path: 'logo.png' }]);
  });
});

describe('the end of the tar', () => {
  const packTar = () => buildTar(minimalPackEntries());

  it('accepts the zero padding tar writes up to its record size (10 KiB by default)', async () => {
    const tar = packTar();
    const padded = Buffer.concat([tar, Buffer.alloc(10240 - (tar.length % 10240))]);
    const scan = await scanArchive(await writeTemp(gzipSync(padded)));
    expect(scan.issues).toEqual([]);
    expect(scan.stats).toMatchObject({ parsedBytes: tar.length, trailingBytes: padded.length - tar.length });
    expect((await readPackArchive(await writeTemp(gzipSync(padded)))).ok).toBe(true);
  });

  it.each<[string, Buffer]>([
    ['a byte that is not zero', Buffer.concat([Buffer.alloc(600), Buffer.from('x')])],
    ['a second tar, smuggling a file past the first end marker', buildTar([{ path: 'demo-1.0.0/smuggled.sh', body: 'echo pwned' }])],
  ])('refuses data after the end-of-archive marker (%s), and stops there', async (_label, trailing) => {
    const file = await writeTemp(gzipSync(Buffer.concat([packTar(), trailing])));
    const result = await readPackArchive(file);
    expect(codes(result.issues)).toEqual(['ARCHIVE_TRAILING_DATA']);
    const scan = await scanArchive(file);
    expect(scan.files).not.toContain('demo-1.0.0/smuggled.sh');
    expect(scan.stats.parsedBytes).toBe(packTar().length);
  });

  it('refuses a pack followed by 300 MiB of zeros (a 300 KB gzip) after decompressing a bounded amount', async () => {
    const bytes = gzipWithZeros(packTar(), 300 * 1024 * 1024);
    expect(bytes.length).toBeLessThan(400 * 1024);
    const file = await writeTemp(bytes);
    // 300 MiB is under the default 1 GiB budget: only the end-of-archive rule stops it.
    const result = await readPackArchive(file);
    expect(codes(result.issues)).toEqual(['ARCHIVE_TRAILING_DATA']);
    const scan = await scanArchive(file);
    expect(scan.stats.parsedBytes).toBe(packTar().length);
    // The padding allowance, plus at most one gunzip chunk read past it.
    expect(scan.stats.decompressedBytes).toBeLessThanOrEqual(packTar().length + MAX_TRAILING_PADDING + 64 * 1024);
    const fromStream = await readPackArchiveStream(Readable.from([bytes]));
    expect(codes(fromStream.issues)).toEqual(['ARCHIVE_TRAILING_DATA']);
    // packctl pack pull and Helm chart extraction go through the same reader.
    const dest = await tempDir('pack-extract-');
    const extracted = await extractPackArchive(file, dest);
    expect(codes(extracted.issues)).toEqual(['ARCHIVE_TRAILING_DATA']);
    expect(await readdir(dest)).toEqual([]);
  });
  it('reports only the trailing data when the refusal lands while a file is still being written (600 extractions, 4 at a time)', async () => {
    // The parser can reach the padding before the file system has finished a file piped ahead of
    // it; the half-written stream we then destroy fails its pending write with
    // ERR_STREAM_DESTROYED, which is our doing, not an extraction failure (CI saw it under load).
    const file = await writeTemp(gzipWithZeros(packTar(), 300 * 1024 * 1024));
    const reported = new Set<string>();
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        for (let attempt = 0; attempt < 150; attempt += 1) {
          const dest = await tempDir('pack-extract-');
          const extracted = await extractPackArchive(file, dest);
          reported.add(codes(extracted.issues).join(','));
          if ((await readdir(dest)).length > 0) reported.add('files left behind');
        }
      }),
    );
    expect([...reported]).toEqual(['ARCHIVE_TRAILING_DATA']);
  }, 60_000);
});

describe('headers that lie', () => {
  it('refuses a pax header that resizes an entry, so the archive reads two ways (files hidden from one reader)', async () => {
    const result = await readEntries([
      ...minimalPackEntries(),
      { path: 'PaxHeader/innocent.txt', type: 'pax', body: paxRecords({ size: '1024' }) },
      { path: 'demo-1.0.0/innocent.txt', body: '' },
      // Headers for GNU tar, a body for node-tar.
      { path: 'demo-1.0.0/evil-1.sh', body: '' },
      { path: 'demo-1.0.0/evil-2.sh', body: '' },
    ]);
    expect(codes(result.issues)).toEqual(['ARCHIVE_CORRUPT']);
    expect(result.issues[0].message).toMatch(/two ways/);
  });

  it('refuses a header claiming 8 GiB at once, before inflating anything more', async () => {
    const bytes = gzipSync(Buffer.concat([buildTar(minimalPackEntries()).subarray(0, -1024), tarHeader({ path: 'demo-1.0.0/big', size: 8 * 1024 ** 3 - 1 }), Buffer.alloc(4096, 1)]));
    const scan = await scanArchive(await writeTemp(bytes));
    expect(codes(scan.issues)).toEqual(['ARCHIVE_TOO_LARGE']);
    expect(scan.stats.decompressedBytes).toBeLessThan(64 * 1024);
  });

  it.each<[string, TarEntrySpec]>([
    ['a file claiming 0 bytes with a body after it', { path: 'demo-1.0.0/empty', size: 0, body: 'not a tar header at all '.repeat(40) }],
    ['a folder with a body', { path: 'demo-1.0.0/dir/', type: 'directory', size: 600, body: 'x'.repeat(600) }],
  ])('refuses %s', async (_label, liar) => {
    expect(codes((await readEntries([...minimalPackEntries(), liar])).issues)).toEqual(['ARCHIVE_CORRUPT']);
  });

  it('accepts the extended headers real tars write: pax paths and GNU long names', async () => {
    const long = `demo-1.0.0/charts/${'a'.repeat(120)}.txt`;
    const result = await readEntries([
      ...minimalPackEntries(),
      { path: 'PaxHeader/long', type: 'pax', body: paxRecords({ path: `${long}-pax`, mtime: '1700000000.5' }) },
      { path: long.slice(0, 99), body: 'pax' },
      { path: '././@LongLink', type: 'gnuLongName', body: `${long}-gnu\0` },
      { path: long.slice(0, 99), body: 'gnu' },
    ]);
    expect(result.issues).toEqual([]);
    const scan = await scanArchive(await writeTemp(buildTarGz([...minimalPackEntries(), { path: 'PaxHeader/x', type: 'pax', body: paxRecords({ path: 'demo-1.0.0/ünïcode.txt' }) }, { path: 'demo-1.0.0/unicode.txt', body: 'u' }])));
    expect(scan.files).toContain('demo-1.0.0/ünïcode.txt');
  });
});

describe('aborting a read', () => {
  it('stops reading an upload mid-way when the signal aborts, and rejects with its reason', async () => {
    const bytes = gzipWithZeros(Buffer.concat([buildTar(minimalPackEntries()).subarray(0, -1024), tarHeader({ path: 'demo-1.0.0/big', size: 512 * 1024 ** 2 })]), 8 * 1024 * 1024);
    const controller = new AbortController();
    const reason = new Error('client left');
    let pushed = false;
    // Half an upload, then silence: without the signal the read would wait forever.
    const source = new Readable({
      read() {
        if (pushed) return;
        pushed = true;
        this.push(bytes.subarray(0, bytes.length / 2));
        setImmediate(() => controller.abort(reason));
      },
    });
    await expect(scanArchive(source, { signal: controller.signal })).rejects.toBe(reason);
    expect(source.destroyed).toBe(true);
  });

  it('refuses to start with an aborted signal, and extraction leaves the destination empty', async () => {
    const file = await writeTemp(buildTarGz(minimalPackEntries()));
    const reason = new Error('shutting down');
    await expect(readPackArchive(file, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    const dest = await tempDir('pack-extract-');
    await expect(extractPackArchive(file, dest, {}, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(await readdir(dest)).toEqual([]);
  });
});

describe('extractPackArchive', () => {
  async function extract(entries: TarEntrySpec[]) {
    const dest = await tempDir('pack-extract-');
    const result = await extractPackArchive(await writeTemp(buildTarGz(entries)), dest);
    return { dest, result };
  }

  it('writes the files, and only inside the destination', async () => {
    const { dest, result } = await extract(minimalPackEntries());
    expect(result).toMatchObject({ ok: true, issues: [] });
    expect(result.files.sort()).toEqual(['demo-1.0.0/charts/demo-1.0.0.tgz', 'demo-1.0.0/logo.png', 'demo-1.0.0/pack.json', 'demo-1.0.0/values.yaml']);
    expect((await readdir(path.join(dest, 'demo-1.0.0'))).sort()).toEqual(['charts', 'logo.png', 'pack.json', 'values.yaml']);
  });

  it.each<[string, TarEntrySpec, string]>([
    ['a ../ path', { path: '../escaped.txt', body: 'x' }, 'ARCHIVE_PATH_TRAVERSAL'],
    ['an absolute path', { path: '/tmp/escaped-abs.txt', body: 'x' }, 'ARCHIVE_PATH_TRAVERSAL'],
    ['a symlink', { path: 'demo-1.0.0/link', type: 'symlink', linkpath: '/etc' }, 'ARCHIVE_LINK'],
    ['a device', { path: 'demo-1.0.0/tty', type: 'char' }, 'ARCHIVE_DEVICE'],
  ])('refuses %s and leaves the destination empty', async (_label, hostile, code) => {
    const parent = await tempDir('pack-extract-parent-');
    const dest = path.join(parent, 'dest');
    await mkdir(dest);
    const result = await extractPackArchive(await writeTemp(buildTarGz([...minimalPackEntries(), hostile])), dest);
    expect(result.ok).toBe(false);
    expect(codes(result.issues)).toEqual([code]);
    expect(await readdir(dest)).toEqual([]);
    expect(await readdir(parent)).toEqual(['dest']);
  });

  it('refuses a gzip bomb without filling the disk', async () => {
    const dest = await tempDir('pack-extract-');
    const result = await extractPackArchive(await writeTemp(await buildGzipBomb(8 * 1024 * 1024)), dest, { maxDecompressedBytes: 1024 * 1024 });
    expect(codes(result.issues)).toEqual(['ARCHIVE_TOO_LARGE']);
    expect(await readdir(dest)).toEqual([]);
  });

  it('reports a write that fails (a file where a folder must go) and cleans up', async () => {
    const dest = await tempDir('pack-extract-');
    const result = await extractPackArchive(
      await writeTemp(buildTarGz([{ path: 'demo/a', body: 'file' }, { path: 'demo/a/b', body: 'under a file' }])),
      dest,
    );
    expect(codes(result.issues)).toEqual(['ARCHIVE_EXTRACT_FAILED']);
    expect(await readdir(dest)).toEqual([]);
  });

  it('does not touch files that were in the destination before', async () => {
    const dest = await tempDir('pack-extract-');
    await writeFile(path.join(dest, 'keep.txt'), 'mine');
    const result = await extractPackArchive(await writeTemp(buildTarGz([...minimalPackEntries(), { path: '../x', body: 'x' }])), dest);
    expect(result.ok).toBe(false);
    expect(await readdir(dest)).toEqual(['keep.txt']);
  });
});

describe('createPackTarball', () => {
  it('refuses a folder holding a link, and an output file inside the folder', async () => {
    const dir = path.join(await tempDir(), 'demo-1.0.0');
    await mkdir(dir);
    await writeFile(path.join(dir, 'pack.json'), '{}');
    await expect(createPackTarball(dir, path.join(dir, 'out.tar.gz'))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await symlink('/etc/passwd', path.join(dir, 'link'));
    await expect(createPackTarball(dir, path.join(path.dirname(dir), 'out.tar.gz'))).rejects.toThrow(/demo-1.0.0\/link/);
  });

  it('names the top folder after the pack folder and leaves out .git', async () => {
    const dir = path.join(await tempDir(), 'demo-1.0.0');
    await mkdir(path.join(dir, '.git'), { recursive: true });
    await writeFile(path.join(dir, '.git', 'config'), 'secret');
    await writeFile(path.join(dir, 'pack.json'), '{}');
    const out = path.join(path.dirname(dir), 'demo.tar.gz');
    await createPackTarball(dir, out);
    const scan = await scanArchive(out);
    expect(scan.files).toEqual(['demo-1.0.0/pack.json']);
    expect(scan.directories).toEqual(['demo-1.0.0']);
  });
});
