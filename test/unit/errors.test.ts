/** extensions.issues spells severity one way, the Severity enum's (issue 20, point 13). */
import { InvalidInputError } from '../../src/errors.js';

describe('InvalidInputError', () => {
  it('spells every issue severity as the Severity enum, whoever found the issue', () => {
    const error = new InvalidInputError('The pack was refused.', {
      issues: [
        { code: 'VALUES_MISSING', severity: 'error', message: 'no values.yaml', path: 'values.yaml' },
        { code: 'LOGO_MISSING', severity: 'warning', message: 'no logo' },
        { code: 'LAYER_ORDER', severity: 'ERROR', message: 'order', layerIndex: 1, pack: 'ubuntu' },
        { code: 'INVALID_FIELD', message: 'is required', path: 'name' },
      ],
    });
    expect(error.issues).toEqual([
      { code: 'VALUES_MISSING', severity: 'ERROR', message: 'no values.yaml', path: 'values.yaml' },
      { code: 'LOGO_MISSING', severity: 'WARNING', message: 'no logo' },
      { code: 'LAYER_ORDER', severity: 'ERROR', message: 'order', layerIndex: 1, pack: 'ubuntu' },
      // A refusal's issue without a severity is what refused the input.
      { code: 'INVALID_FIELD', severity: 'ERROR', message: 'is required', path: 'name' },
    ]);
    expect(error.extensions.issues).toBe(error.issues);
  });

  it('carries no issues key when none were given', () => {
    expect(new InvalidInputError('bad', { field: 'tag' }).extensions).toEqual({ field: 'tag' });
  });
});
