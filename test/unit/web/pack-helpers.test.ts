import { describe, expect, it } from '@jest/globals';
import { ownOriginPath, pullCommands, shellWord } from '../../../web/src/pack/pull-commands.js';
import { describeFormat, schemaRules } from '../../../web/src/pack/schema-rules.js';
import { valuesDiff, withContext } from '../../../web/src/pack/values-diff.js';
import { yamlLines } from '../../../web/src/pack/yaml-lines.js';
import { safeNext } from '../../../web/src/signin/safe-next.js';
import { withoutInlineAttributes } from '../../../web/src/pack/raw-html.js';

describe('pull commands', () => {
  it('names the OCI path of the version and plain http flags over http', () => {
    const c = pullCommands({ origin: 'http://localhost:4000', registry: 'default', name: 'cert-manager', version: '1.16.1' });
    expect(c.reference).toBe('localhost:4000/default/spectro-packs/archive/cert-manager:1.16.1');
    expect(c.login).toBe('packctl login http://localhost:4000 --token "$TOKEN"');
    expect(c.packctl).toBe('packctl pack pull cert-manager:1.16.1 ./cert-manager-1.16.1 --registry default');
    expect(c.oras).toBe('oras pull --plain-http -u me -p "$TOKEN" -o ./cert-manager-1.16.1 localhost:4000/default/spectro-packs/archive/cert-manager:1.16.1');
    expect(c.skopeo).toBe('skopeo copy --src-tls-verify=false --src-creds "me:$TOKEN" docker://localhost:4000/default/spectro-packs/archive/cert-manager:1.16.1 oci:./cert-manager-oci:1.16.1');
  });

  it('leaves the insecure flags out over https', () => {
    const c = pullCommands({ origin: 'https://catalog.example.com', registry: 'team', name: 'metallb', version: '0.14.8' });
    expect(c.oras).toBe('oras pull -u me -p "$TOKEN" -o ./metallb-0.14.8 catalog.example.com/team/spectro-packs/archive/metallb:0.14.8');
    expect(c.skopeo).not.toContain('tls-verify');
  });

  it('quotes shell words only when needed', () => {
    expect(shellWord('a-b_1.2:3')).toBe('a-b_1.2:3');
    expect(shellWord("it's x")).toBe(`'it'\\''s x'`);
  });

  it('keeps artifact URLs on the page origin and refuses anything else', () => {
    expect(ownOriginPath('http://other:4000/artifacts/sha256/abc')).toBe('/artifacts/sha256/abc');
    expect(ownOriginPath('/artifacts/sha256/abc')).toBe('/artifacts/sha256/abc');
    expect(ownOriginPath('https://evil.example/x.png')).toBeNull();
    expect(ownOriginPath(null)).toBeNull();
  });
});

describe('schema rules', () => {
  it('splits each expression into what it asks', () => {
    const rules = schemaRules({
      'manifests.metallb-config.mode': { schema: '{{ required | format "${list:[l2,bgp]}" | hints "Layer 2 | or BGP." }}' },
      'pack.namespace': { schema: '{{ readonly }}' },
      'x.y': '{{ hidden | custom 3 }}',
      'not.a.rule': 42,
    });
    expect(rules.map((r) => r.path)).toEqual(['manifests.metallb-config.mode', 'pack.namespace', 'x.y']);
    expect(rules[0]).toMatchObject({ required: true, readonly: false, format: '${list:[l2,bgp]}', hints: 'Layer 2 | or BGP.' });
    expect(rules[1]).toMatchObject({ readonly: true, required: false, format: null });
    expect(rules[2]).toMatchObject({ hidden: true, other: ['custom 3'] });
    expect(schemaRules(null)).toEqual([]);
  });

  it('describes formats', () => {
    expect(describeFormat('${list:[l2, bgp]}')).toBe('one of l2, bgp');
    expect(describeFormat('${boolean}')).toBe('boolean');
    expect(describeFormat('${number:[1,10]}')).toBe('${number:[1,10]}');
  });
});

describe('YAML lines', () => {
  const text = [
    '# top comment',
    'manifests:',
    '  metallb-config:',
    '    mode: "l2" # how',
    '    autoAssign: true',
    '    pools:',
    '      - name: default',
    '        count: 3',
    '    script: |',
    '      key: not a key',
    '    after: ~',
    'pack:',
    '  namespace: metallb-system',
  ].join('\n');
  const lines = yamlLines(text);

  it('gives each key line its dotted path', () => {
    expect(lines.map((l) => l.path)).toEqual([
      null,
      'manifests',
      'manifests.metallb-config',
      'manifests.metallb-config.mode',
      'manifests.metallb-config.autoAssign',
      'manifests.metallb-config.pools',
      'manifests.metallb-config.pools.name',
      'manifests.metallb-config.pools.count',
      'manifests.metallb-config.script',
      null,
      'manifests.metallb-config.after',
      'pack',
      'pack.namespace',
    ]);
  });

  it('types the tokens and keeps every character', () => {
    expect(lines[3].tokens).toEqual([
      { type: 'text', text: '    ' },
      { type: 'key', text: 'mode' },
      { type: 'punct', text: ':' },
      { type: 'text', text: ' ' },
      { type: 'string', text: '"l2"' },
      { type: 'text', text: ' ' },
      { type: 'comment', text: '# how' },
    ]);
    expect(lines[4].tokens.find((t) => t.type === 'bool')?.text).toBe('true');
    expect(lines[7].tokens.find((t) => t.type === 'number')?.text).toBe('3');
    expect(lines[9].tokens).toEqual([{ type: 'string', text: '      key: not a key' }]);
    expect(lines[10].tokens.find((t) => t.type === 'null')?.text).toBe('~');
    expect(lines.map((l) => l.tokens.map((t) => t.text).join('')).join('\n')).toBe(text);
  });
});

describe('values diff', () => {
  it('numbers added, removed and unchanged lines and counts them', () => {
    const d = valuesDiff('a: 1\nb: 2\nc: 3\n', 'a: 1\nb: 20\nc: 3\nd: 4\n');
    expect(d.added).toBe(2);
    expect(d.removed).toBe(1);
    expect(d.lines).toEqual([
      { kind: 'same', text: 'a: 1', oldLine: 1, newLine: 1 },
      { kind: 'removed', text: 'b: 2', oldLine: 2, newLine: null },
      { kind: 'added', text: 'b: 20', oldLine: null, newLine: 2 },
      { kind: 'same', text: 'c: 3', oldLine: 3, newLine: 3 },
      { kind: 'added', text: 'd: 4', oldLine: null, newLine: 4 },
    ]);
  });

  it('folds unchanged runs outside the context', () => {
    const older = Array.from({ length: 20 }, (_, i) => `k${i}: ${i}`).join('\n');
    const newer = older.replace('k10: 10', 'k10: ten');
    const shown = withContext(valuesDiff(older, newer).lines, 2);
    expect(shown[0]).toEqual({ skipped: 8 });
    expect(shown.filter((l) => 'kind' in l).length).toBe(6);
    // 0-9 same, k10 removed and added, 11-19 same: 2 kept each side of the change.
    expect(shown[shown.length - 1]).toEqual({ skipped: 7 });
    expect(valuesDiff('same\n', 'same\n').added).toBe(0);
  });
});

describe('sign-in return path', () => {
  it('goes only to paths of this site', () => {
    expect(safeNext('/packs/cert-manager?version=1')).toBe('/packs/cert-manager?version=1');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/signin')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('raw HTML in a README', () => {
  it('loses event handlers and inline styles before the sanitiser parses it', () => {
    expect(withoutInlineAttributes(`<img src="x" onerror="alert(1)"><p style='color:red' class="a">t</p><a href=y onClick=go()>`)).toBe(
      `<img src="x"><p class="a">t</p><a href=y>`,
    );
    expect(withoutInlineAttributes('text with style="x" outside a tag')).toBe('text with style="x" outside a tag');
  });
});
