import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// GraphQL Code Generator runs as its own process: its presets load CommonJS and ESM in ways Jest's module sandbox does not.
const codegenBin = path.join(path.dirname(createRequire(import.meta.url).resolve('@graphql-codegen/cli/package.json')), 'esm', 'bin.js');

describe('src/cli/generated/', () => {
  it('is what GraphQL Code Generator makes of graphql/schema.graphql and the CLI operations (run `npm run codegen`)', async () => {
    // --check generates in memory, validating every operation against the schema, and fails on a stale file.
    const outcome = await promisify(execFile)(process.execPath, [codegenBin, '--config', 'codegen.ts', '--check'], { cwd: root }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    expect(outcome).toEqual({ code: 0, output: expect.any(String) });
  });
});
