/** What validation keeps per pack version (rules/pack-facts.ts): cached by digest, never stale, never shared mutable. */
import { packFactsOf } from '../../../../src/profiles/rules/pack-facts.js';
import { checkValuesAgainstSchema } from '../../../../src/profiles/rules/value-schema/index.js';
import { findMacroReferences } from '../../../../src/profiles/rules/macros.js';
import { parse } from 'yaml';
import { syntheticPack } from '../fixture-packs.js';
import { codes, karpenter, only, sedai, validate } from './validate-helpers.js';

const schema = { 'pack.port': '{{ required | format "${number:[1-100]}" }}' };

describe('pack facts', () => {
  it('are built once per digest and content: the same object on the next validation', () => {
    const pack = syntheticPack({ name: 'facts-once', version: '1.0.0', layer: 'addon', values: 'pack:\n  port: 80\n', schema });
    const first = packFactsOf(pack);
    expect(packFactsOf({ ...pack })).toBe(first);
    expect(packFactsOf({ ...pack, schema: { ...schema } })).toBe(first);
    expect(first.defaults).toEqual({ ok: true, value: { pack: { port: 80 } } });
  });

  it('a digest seen with other content (values or schema) gets fresh facts, not the cached ones', () => {
    const pack = syntheticPack({ name: 'facts-reuse', version: '1.0.0', layer: 'addon', values: 'pack:\n  port: 80\n', schema });
    const cached = packFactsOf(pack);
    const otherValues = { ...pack, defaultValues: 'pack:\n  port: 500\n' };
    expect(otherValues.digest).toBe(pack.digest);
    expect(packFactsOf(otherValues)).not.toBe(cached);
    expect(packFactsOf(otherValues).defaults).toEqual({ ok: true, value: { pack: { port: 500 } } });
    const otherSchema = { ...pack, schema: { 'pack.port': '{{ required | format "${number:[1-10]}" }}' } };
    expect(packFactsOf(otherSchema).defaultsSchemaCheck()?.violations.map((v) => v.message)).toEqual([
      'pack.port must be between 1 and 10 (got "80")',
    ]);
    // The issues follow the content each time, whatever was validated before under the digest.
    expect(only(validate('ADDON', 'all', [[otherValues]]).issues, 'VALUES_SCHEMA').map((i) => i.message)).toEqual([
      'pack.port must be between 1 and 100 (got "500")',
    ]);
    expect(validate('ADDON', 'all', [[pack]]).issues).toEqual([]);
  });

  it('hold the same answers as parsing and checking from scratch, deeply frozen', () => {
    const facts = packFactsOf(karpenter);
    expect(facts.defaults).toEqual({ ok: true, value: parse(karpenter.defaultValues) });
    expect(facts.defaultsSchemaCheck()).toEqual(checkValuesAgainstSchema(parse(karpenter.defaultValues), karpenter.schema!));
    const macros = packFactsOf(sedai).defaultMacros();
    expect(macros).toEqual(findMacroReferences(parse(sedai.defaultValues)));
    expect(macros.length).toBeGreaterThan(0);
    const values = facts.defaults.ok ? (facts.defaults.value as Record<string, unknown>) : {};
    expect(Object.isFrozen(values)).toBe(true);
    expect(() => {
      (values as Record<string, unknown>).awsAccountNumber = 'changed';
    }).toThrow(TypeError);
    expect(Object.isFrozen(facts.schema)).toBe(true);
  });

  it('a validation with warm facts reports exactly what the first one did', () => {
    const fresh = syntheticPack({ name: 'facts-warm', version: '2.0.0', layer: 'addon', values: 'pack:\n  port: 0\n', schema });
    const cold = validate('ADDON', 'all', [[fresh], [{ ...fresh }, { values: 'pack:\n  port: 7\n  spectrocloud.com/display-name: two\n' }]]);
    const warm = validate('ADDON', 'all', [[fresh], [{ ...fresh }, { values: 'pack:\n  port: 7\n  spectrocloud.com/display-name: two\n' }]]);
    expect(warm).toEqual(cold);
    expect(codes(cold.issues)).toEqual(['VALUES_SCHEMA', 'DUPLICATE_PACK']);
  });
});
