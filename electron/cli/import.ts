// `attest import`: a roster (CSV or XLSX) into people or facilities, through the same channels as
// the Import page: import:read (the guessed mapping, or --mapping), import:check (every row), then
// import:run (one transaction) unless --dry-run.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChannelOutput } from '../../shared/contract';
import { openExisting, type CliIo } from './open';

export const IMPORT_USAGE = `  attest import --db FILE --file roster.csv|roster.xlsx [--kind people|facilities] [--mapping mapping.json]
               [--sheet NAME] [--encoding utf-8|utf-16le|utf-16be|windows-1256|windows-1252]
               [--day-first | --month-first] [--dry-run] [--valid-only] [--rejected OUT.csv]
                                                    import a roster: every row checked first; all rows in
                                                    one transaction or nothing (--valid-only: the valid
                                                    rows, the rest reported); --dry-run writes nothing;
                                                    mapping.json: {"Column header": "field", ...}`;

type Check = ChannelOutput<'import:check'>;
type Run = ChannelOutput<'import:run'>;

function printProblems(io: CliIo, r: Pick<Check, 'rejected' | 'held' | 'skipped'>): void {
  for (const x of r.rejected) for (const i of x.issues) io.out(`  row ${x.line}: rejected: ${i.column || i.field} (${i.field}): ${i.message}`);
  for (const x of r.held) io.out(`  row ${x.line}: held for review: ${x.label}: ${x.message}`);
  for (const x of r.skipped) io.out(`  row ${x.line}: skipped: ${x.message}`);
}

export async function runImportCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        db: { type: 'string' },
        user: { type: 'string' },
        'passphrase-file': { type: 'string' },
        file: { type: 'string' },
        kind: { type: 'string' },
        mapping: { type: 'string' },
        sheet: { type: 'string' },
        encoding: { type: 'string' },
        'day-first': { type: 'boolean' },
        'month-first': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'valid-only': { type: 'boolean' },
        rejected: { type: 'string' },
      },
    }));
  } catch (e) {
    io.err(`attest: ${(e as Error).message}\nusage:\n${IMPORT_USAGE}`);
    return 2;
  }
  const dbFile = values.db ?? env.ATTEST_DB;
  if (!dbFile || !values.file) {
    io.err(`attest: import needs --db FILE and --file ROSTER\nusage:\n${IMPORT_USAGE}`);
    return 2;
  }
  let key: string | null = env.ATTEST_PASSPHRASE ? env.ATTEST_PASSPHRASE : null;
  if (values['passphrase-file']) {
    try {
      key = readFileSync(values['passphrase-file'], 'utf8').split(/\r?\n/)[0] ?? '';
    } catch (e) {
      io.err(`attest: cannot read the passphrase file: ${(e as Error).message}`);
      return 2;
    }
  }
  if (values['day-first'] && values['month-first']) {
    io.err('attest: give --day-first or --month-first, not both');
    return 2;
  }
  let mapping: Record<string, string> | null = null;
  if (values.mapping) {
    try {
      const m = JSON.parse(readFileSync(values.mapping, 'utf8')) as unknown;
      // Either {"Header": "field"} or {"mapping": {...}} as import:save-mapping stores it.
      const inner = m && typeof m === 'object' && 'mapping' in m ? (m as { mapping: unknown }).mapping : m;
      if (!inner || typeof inner !== 'object' || Array.isArray(inner)) throw new Error('it must be a JSON object {"Column header": "field"}');
      mapping = inner as Record<string, string>;
    } catch (e) {
      io.err(`attest: cannot read the mapping ${values.mapping}: ${(e as Error).message}`);
      return 2;
    }
  }
  const session = openExisting(dbFile, values.user ?? env.ATTEST_USER ?? null, io, key);
  if (!session) return 1;
  try {
    const file = {
      path: resolve(values.file),
      kind: values.kind ?? 'people',
      ...(values.sheet ? { sheet: values.sheet } : {}),
      ...(values.encoding ? { encoding: values.encoding } : {}),
    };
    const read = await session.dispatch('import:read', file);
    if (!read.ok) return fail(io, read.error.message);
    const info = read.data as ChannelOutput<'import:read'>;
    const used = mapping ?? info.saved?.mapping ?? info.guess;
    const where = info.format === 'xlsx' ? `sheet "${info.sheet}" of ${info.sheets.length}` : `${info.encoding}${info.encodingDetected ? ' (detected)' : ''}`;
    io.out(`${info.fileName}: ${info.rowCount} rows, ${where}, header on row ${info.headerLine}, SHA-256 ${info.sha256}`);
    io.out(`mapping${mapping ? ` from ${values.mapping}` : info.saved ? ` saved as "${info.saved.name}"` : ' guessed'}: ${Object.entries(used).filter(([, f]) => f).map(([h, f]) => `${h} → ${f}`).join(', ')}`);
    const order = values['day-first'] ? 'dmy' : values['month-first'] ? 'mdy' : null;
    const dateOrders = order ? { birthDate: order, detainedSince: order } : {};
    const checkInput = { ...file, mapping: used, dateOrders };
    const checked = await session.dispatch('import:check', checkInput);
    if (!checked.ok) return fail(io, checked.error.message);
    const c = checked.data as Check;
    if (c.dateQuestions.length) {
      for (const q of c.dateQuestions) io.err(`attest: column "${q.column}" has dates that read either way (${q.samples.join(', ')}): run again with --day-first or --month-first`);
      return 1;
    }
    const k = c.counts;
    io.out(`checked: ${k.create} to create, ${k.update} to update, ${k.unchanged} unchanged, ${k.held} held for review, ${k.rejected} rejected, ${k.skipped} skipped, ${k.empty} empty`);
    if (c.unmapped.length) io.out(`columns not imported: ${c.unmapped.join(', ')}`);
    for (const f of c.facilitiesToCreate) io.out(`facility to create: ${f.name} (rows ${f.lines.slice(0, 10).join(', ')}${f.lines.length > 10 ? '…' : ''})`);
    printProblems(io, c);
    if (values.rejected && (k.rejected || k.held)) {
      const r = await session.dispatch('import:export-rejected', { ...checkInput, out: resolve(values.rejected) });
      if (!r.ok) return fail(io, r.error.message);
      io.out(`rejected and held rows written to ${(r.data as { path: string }).path}`);
    }
    if (values['dry-run']) {
      io.out('dry run: nothing was written');
      return k.rejected || k.held ? 1 : 0;
    }
    if ((k.rejected || k.held) && !values['valid-only']) {
      io.err(`attest: ${k.rejected} rejected and ${k.held} held rows; nothing was written (fix them, or add --valid-only to import the valid rows)`);
      return 1;
    }
    const run = await session.dispatch('import:run', { ...checkInput, sha256: info.sha256, validOnly: !!values['valid-only'] });
    if (!run.ok) return fail(io, `${run.error.message}; nothing was written`);
    const d = run.data as Run;
    io.out(`imported: ${d.created.length < d.counts.create ? d.counts.create : d.created.length} created, ${d.counts.update} updated, ${d.counts.unchanged} unchanged, ${d.counts.held} held for review, ${d.counts.rejected} rejected`);
    for (const u of d.updated.slice(0, 50)) io.out(`  row ${u.line}: updated ${u.label}: ${u.fields.join(', ')}`);
    for (const f of d.facilitiesCreated) io.out(`  facility created: ${f.name}`);
    io.out(`reason recorded: ${d.reason}`);
    return 0;
  } finally {
    session.close();
  }
}

function fail(io: CliIo, message: string): number {
  io.err(`attest: ${message.split('\n')[0]}`);
  return 1;
}
