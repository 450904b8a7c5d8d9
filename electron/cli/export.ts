// `attest export`: writes an exhibit to a folder through the reports:export channel, printing the
// PDF with a headless Chromium where one is found.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { incidentDateRange } from '../../db/repo/report-source';
import { defaultDefinition } from '../../shared/report/definition';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/report/channels';
import type { ChannelOutput } from '../../shared/contract';
import { openExisting, type CliIo } from './open';
import { findChromium, NO_CHROMIUM } from './pdf-chromium';
import { definitionFromFile, lendChromium, readPassphrase } from './report-args';
import { officeSettings } from '../core/report-export';

export const EXPORT_USAGE = `  attest export --db FILE --out DIR [--definition ID|FILE.json] [--format pdf|docx|xlsx|csv|html|all]
                [--profile public|sealed|internal] [--from YYYY-MM-DD --to YYYY-MM-DD] [--no-bom] [--no-key] [--strict] [--with-conflicts]
                                                    write an exhibit and its manifest to DIR (no definition:
                                                    every included incident under the office default caption);
                                                    a public one prints its redaction review first, and with
                                                    --strict writes nothing while a suspicious span is unreviewed;
                                                    records with open conflicts (two laptops) refuse the export
                                                    unless --with-conflicts names them in the method note and manifest`;

export async function runExportCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        db: { type: 'string' },
        user: { type: 'string' },
        definition: { type: 'string' },
        format: { type: 'string', default: 'all' },
        profile: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'no-bom': { type: 'boolean', default: false },
        'no-key': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        'with-conflicts': { type: 'boolean', default: false },
        'passphrase-file': { type: 'string' },
      },
    }).values;
  } catch (e) {
    io.err(`attest export: ${(e as Error).message}\nusage:\n${EXPORT_USAGE}`);
    return 2;
  }
  const dbFile = values.db ?? env.ATTEST_DB;
  if (!dbFile) return fail(io, 'needs --db FILE (or ATTEST_DB)');
  const pass = readPassphrase(values['passphrase-file'], env);
  if ('error' in pass) return fail(io, pass.error);
  if (!values.out) return fail(io, 'needs --out DIR, the folder to write to');
  const wanted = values.format === 'all' ? [...EXPORT_FORMATS] : values.format.split(',').map((s) => s.trim());
  const bad = wanted.filter((f) => !(EXPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length) return fail(io, `--format: unknown format ${bad.join(', ')} (pdf, docx, xlsx, csv, html or all)`);
  let formats = wanted as ExportFormat[];
  if (formats.includes('pdf') && !findChromium(env)) {
    if (values.format !== 'all') return fail(io, NO_CHROMIUM);
    io.err(`attest export: ${NO_CHROMIUM}; writing the other formats`);
    formats = formats.filter((f) => f !== 'pdf');
  }

  const session = openExisting(dbFile, values.user ?? env.ATTEST_USER ?? null, io, pass.key);
  if (!session) return 1;
  const chromium = lendChromium(session.ctx, env);
  try {
    const ref: { definitionId?: string; definition?: unknown } = {};
    const d = values.definition;
    if (d && d.toLowerCase().endsWith('.json')) {
      const file = definitionFromFile(d);
      if ('error' in file) return fail(io, file.error);
      ref.definition = file.definition;
    } else if (d) {
      ref.definitionId = d;
    } else {
      const range = values.from && values.to ? { from: values.from, to: values.to } : incidentDateRange(session.ctx.db);
      if (!range) return fail(io, 'the database has no incidents to export');
      ref.definition = defaultDefinition(officeSettings(session.ctx.db), range);
    }
    // The same review the Reports page shows, before anything is written.
    if ((await exportProfile(session.dispatch, ref, values.profile)) === 'public') {
      const review = await session.dispatch('reports:review', { ...ref, limit: 100_000 });
      // dispatch checked the output against the contract.
      if (review.ok) io.err(reviewLines(review.data as ChannelOutput<'reports:review'>).join('\n'));
    }
    const result = await session.dispatch('reports:export', {
      ...ref,
      ...(values.profile ? { profile: values.profile } : {}),
      formats,
      // The log keeps the folder whole: a relative one would mean nothing to the app later.
      folder: resolve(values.out),
      bom: !values['no-bom'],
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

type Dispatch = (channel: string, raw: unknown) => Promise<{ ok: true; data: unknown } | { ok: false; error: unknown }>;

/** The profile an export will have: the one asked for, else the definition's. */
async function exportProfile(dispatch: Dispatch, ref: { definitionId?: string; definition?: unknown }, asked: string | undefined): Promise<string> {
  if (asked) return asked;
  if (ref.definitionId) {
    const r = await dispatch('reports:get', { id: ref.definitionId });
    return r.ok ? ((r.data as { definition: { profile?: string } }).definition.profile ?? 'public') : 'public';
  }
  return (ref.definition as { profile?: string } | undefined)?.profile ?? 'public';
}

const CHOICE_LABEL = { accept: 'accepted', redact: 'REDACTED by hand' } as const;

/** The redaction review as lines for a terminal: counts, then every item, unreviewed first. */
export function reviewLines(r: ChannelOutput<'reports:review'>): string[] {
  const c = r.counts;
  const out = [
    `redaction review: ${c.suspicious} suspicious ${c.suspicious === 1 ? 'span' : 'spans'} (${c.unreviewed} unreviewed, ${c.accepted} accepted, ${c.redacted} redacted by hand), ${c.replaced} replaced by redaction`,
  ];
  for (const i of r.items) {
    const state = i.choice ? CHOICE_LABEL[i.choice] : i.kind === 'suspicious' ? 'UNREVIEWED' : 'replaced';
    const what = i.kind === 'replaced' ? `"${i.text}" (was "${i.original}")` : `"${i.text}" (${i.reason})`;
    out.push(`  ${state.padEnd(16)} ${i.where.padEnd(22)} ${what}  …${i.before.slice(-30)}[${i.text}]${i.after.slice(0, 30)}…`.replace(/\s*\n\s*/g, ' '));
  }
  if (r.total > r.items.length) out.push(`  … and ${r.total - r.items.length} more`);
  return out;
}

function fail(io: CliIo, message: string): number {
  io.err(`attest export: ${message}`);
  return 2;
}
