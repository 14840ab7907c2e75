/** packctl run in the test's own process (against a createTestApp server), its output captured. */
import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/main.js';

/** Runs packctl in process; results are printed on process.stdout, so that is captured too while it runs. */
export async function packctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const printed: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed.push(chunk.toString());
    return true;
  }) as typeof process.stdout.write;
  let code: number;
  try {
    code = await run(['node', 'packctl', ...args], { stdout, stderr });
  } finally {
    process.stdout.write = write;
  }
  return { code, stdout: (stdout.read() ?? '').toString() + printed.join(''), stderr: (stderr.read() ?? '').toString() };
}
