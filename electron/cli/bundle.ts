// `attest bundle`: a filing bundle (index, Exhibit A, documents as Exhibit B-1…B-n, Bates numbers)
// through the reports:bundle channel, printed with a headless Chromium.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openExisting, type CliIo } from './open';
import { findChromium, NO_CHROMIUM } from './pdf-chromium';
import { definitionFromFile, lendChromium, readPassphrase } from './report-args';

export const BUNDLE_USAGE = `  attest bundle --db FILE --definition ID|FILE.json --out DIR [--document FILE.pdf=TITLE]…
                [--profile public|sealed|internal] [--no-key] [--strict] [--with-conflicts]
                                                    write a filing bundle to DIR: an index, the exhibit and each
                                                    document (Exhibit B-1…B-n) behind its slip sheet, one PDF
                                                    with Bates numbers (prefix and start from the office settings)`;

export async function runBundleCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        db: { type: 'string' },
        user: { type: 'string' },
        definition: { type: 'string' },
        document: { type: 'string', multiple: true, default: [] },
        profile: { type: 'string' },
        out: { type: 'string' },
        'no-key': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        'with-conflicts': { type: 'boolean', default: false },
        'passphrase-file': { type: 'string' },
      },
    }).values;
  } catch (e) {
    io.err(`attest bundle: ${(e as Error).message}\nusage:\n${BUNDLE_USAGE}`);
    return 2;
  }
  const dbFile = values.db ?? env.ATTEST_DB;
  if (!dbFile) return fail(io, 'needs --db FILE (or ATTEST_DB)');
  if (!values.out) return fail(io, 'needs --out DIR, the folder to write to');
  if (!values.definition) return fail(io, 'needs --definition ID or FILE.json');
  if (!findChromium(env)) return fail(io, NO_CHROMIUM);
  const pass = readPassphrase(values['passphrase-file'], env);
  if ('error' in pass) return fail(io, pass.error);
  const documents: { path: string; title: string }[] = [];
  for (const d of values.document) {
    const at = d.indexOf('=');
    if (at <= 0 || at === d.length - 1) return fail(io, `--document: give FILE.pdf=TITLE (got "${d}")`);
    documents.push({ path: resolve(d.slice(0, at)), title: d.slice(at + 1) });
  }
  const ref: { definitionId?: string; definition?: unknown } = {};
  const d = values.definition;
  if (d.toLowerCase().endsWith('.json')) {
    const file = definitionFromFile(d);
    if ('error' in file) return fail(io, file.error);
    ref.definition = file.definition;
  } else {
    ref.definitionId = d;
  }
  const session = openExisting(dbFile, values.user ?? env.ATTEST_USER ?? null, io, pass.key);
  if (!session) return 1;
  const chromium = lendChromium(session.ctx, env);
  try {
    const result = await session.dispatch('reports:bundle', {
      ...ref,
      ...(values.profile ? { profile: values.profile } : {}),
      documents,
      folder: resolve(values.out),
      includeKey: !values['no-key'],
      strict: values.strict,
      // Records with open conflicts refuse the export unless asked to note them in the method note and manifest.
      conflicts: values['with-conflicts'] ? 'note' : 'refuse',
    });
    io.out(JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
  } finally {
    await chromium.close();
    session.close();
  }
}

function fail(io: CliIo, message: string): number {
  io.err(`attest bundle: ${message}`);
  return 2;
}
