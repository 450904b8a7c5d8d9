// Temporary folders for tests, removed after each test. Kept apart from test/helpers.ts (which
// imports the whole core) so a test of one storage file imports only that file: a mutation run
// imports the test file again for every mutant.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs: string[] = [];

export function tempDir(prefix = 'attest-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export function tempDbFile(): string {
  return join(tempDir(), 'attest.sqlite');
}

export function cleanupTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}
