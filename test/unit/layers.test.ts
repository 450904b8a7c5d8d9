import { ESLint } from 'eslint';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layer rules are only worth having if they fire: lint small snippets as if they lived in
// each folder and check which imports are refused.
const eslint = new ESLint();

async function refused(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layer rules', () => {
  it('keep shared/ free of node, electron, db and renderer', async () => {
    expect(await refused('shared/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n")).toBe(true);
    expect(await refused('shared/x.ts', "import { app } from 'electron';\nvoid app;\n")).toBe(true);
    expect(await refused('shared/x.ts', "import { openDatabase } from '../db/connect';\nvoid openDatabase;\n")).toBe(true);
    expect(await refused('shared/x.ts', "import { z } from 'zod';\nvoid z;\n")).toBe(false);
  });

  it('keep renderer/ free of electron, node and db', async () => {
    expect(await refused('renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n")).toBe(true);
    expect(await refused('renderer/src/x.ts', "import { join } from 'node:path';\nvoid join;\n")).toBe(true);
    expect(await refused('renderer/src/x.ts', "import { openDatabase } from '../../db/connect';\nvoid openDatabase;\n")).toBe(true);
    expect(await refused('renderer/src/x.ts', "import { contract } from '../../shared/contract';\nvoid contract;\n")).toBe(false);
  });

  it("let only electron/shell/ import 'electron'", async () => {
    const snippet = "import { app } from 'electron';\nvoid app;\n";
    for (const f of ['main', 'window', 'ipc', 'preload']) expect(await refused(`electron/shell/${f}.ts`, snippet)).toBe(false);
    expect(await refused('electron/core/handlers/people.ts', snippet)).toBe(true);
    expect(await refused('electron/core/dispatch.ts', snippet)).toBe(true);
    expect(await refused('electron/cli/cli.ts', snippet)).toBe(true);
    expect(await refused('electron/worker/host.ts', snippet)).toBe(true);
  });

  it('let only db/driver.ts import the SQLite driver', async () => {
    const snippet = "import Database from 'better-sqlite3-multiple-ciphers';\nvoid Database;\n";
    expect(await refused('db/driver.ts', snippet)).toBe(false);
    expect(await refused('db/connect.ts', snippet)).toBe(true);
    expect(await refused('db/repo/people.ts', snippet)).toBe(true);
    expect(await refused('electron/core/handlers/people.ts', snippet)).toBe(true);
  });

  it('keep the core below the shell and the CLI, and the shell away from the database', async () => {
    expect(await refused('electron/core/vault.ts', "import { run } from '../cli/cli';\nvoid run;\n")).toBe(true);
    expect(await refused('electron/core/vault.ts', "import { x } from '../shell/window';\nvoid x;\n")).toBe(true);
    expect(await refused('electron/shell/main.ts', "import { openDatabase } from '../../db/connect';\nvoid openDatabase;\n")).toBe(true);
    expect(await refused('electron/shell/main.ts', "import { createSession } from '../core/session';\nvoid createSession;\n")).toBe(true);
    expect(await refused('electron/shell/main.ts', "import { startCore } from '../worker/host';\nvoid startCore;\n")).toBe(false);
    expect(await refused('electron/cli/cli.ts', "import { createSession } from '../core/session';\nvoid createSession;\n")).toBe(false);
  });

  it('refuse an import cycle between two files', async () => {
    // Two real files that import each other: the rule resolves imports on disk, so write them.
    const dir = mkdtempSync(join('electron', 'core', '.cycle-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      writeFileSync(join(dir, 'b.ts'), "import { a } from './a';\nexport const b = () => a;\n");
      const [result] = await eslint.lintFiles([join(dir, 'a.ts')]);
      expect((result?.messages ?? []).some((m) => m.ruleId === 'import-x/no-cycle')).toBe(true);
      writeFileSync(join(dir, 'b.ts'), 'export const b = () => 1;\n');
      const [clean] = await eslint.lintFiles([join(dir, 'a.ts')]);
      expect((clean?.messages ?? []).some((m) => m.ruleId === 'import-x/no-cycle')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
