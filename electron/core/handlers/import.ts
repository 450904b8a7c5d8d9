// Roster import: read, check, write. The write (import:run) is a write channel, so dispatch runs it
// in one IMMEDIATE transaction: a refusal anywhere keeps nothing. It re-plans inside that
// transaction, against the records as they are then, from the same bytes that were checked.
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join, parse as parsePath } from 'node:path';
import { writeSetting } from '../../../db/history/chained';
import { stmt } from '../../../db/stmt';
import { toCsv } from '../../../shared/report/csv';
import { AppError } from '../../../shared/errors';
import { fieldsOf, guessMapping, type ImportField, type ImportKind } from '../../../shared/roster/fields';
import { applyPlan, planImport, type Plan, type PlannedRow } from '../roster/plan';
import { readRoster, readRosterSync, type RosterTable } from '../roster/read';
import { reportHostOf } from '../report-host';
import type { Job } from '../jobs';
import type { Context } from './context';
import { writeMeta } from './context';
import type { HandlersFor } from './types';
import type { ParsedInput } from '../../../shared/contract';

const LIST_CAP = 5000;

// The last tables read, by content: the write finds the checked table here (an XLSX can only be
// parsed asynchronously, and a write channel runs synchronously in its transaction).
const tables = new WeakMap<object, Map<string, RosterTable>>();
const tableKey = (sha: string, o: { sheet?: string | null | undefined; encoding?: string | null | undefined; kind: ImportKind }) => `${sha}|${o.sheet ?? ''}|${o.encoding ?? ''}|${o.kind}`;

function remember(ctx: Context, key: string, t: RosterTable): void {
  let m = tables.get(ctx);
  if (!m) tables.set(ctx, (m = new Map()));
  m.delete(key);
  m.set(key, t);
  while (m.size > 2) m.delete(m.keys().next().value!);
}

async function read(ctx: Context, input: { path: string; sheet?: string | null | undefined; encoding?: ParsedInput<'import:read'>['encoding']; kind: ImportKind }): Promise<RosterTable> {
  const t = await readRoster(input.path, input);
  remember(ctx, tableKey(t.sha256, input), t);
  return t;
}

function counts(plan: Plan) {
  const c = { create: 0, update: 0, unchanged: 0, held: 0, rejected: 0, skipped: 0, empty: plan.emptyRows };
  for (const r of plan.rows) c[r.status === 'create' ? 'create' : r.status === 'update' ? 'update' : r.status]++;
  return c;
}

const only = <S extends PlannedRow['status']>(plan: Plan, s: S) => plan.rows.filter((r): r is Extract<PlannedRow, { status: S }> => r.status === s);

function planFor(ctx: Context, t: RosterTable, input: ParsedInput<'import:check'>, job?: Job): Plan {
  return planImport(ctx.db, t, {
    kind: input.kind,
    mapping: input.mapping,
    dateOrders: input.dateOrders,
    today: ctx.now().toISOString().slice(0, 10),
    ...(job ? { onRow: (done: number, total: number) => job.progress('checking rows', done, total) } : {}),
  });
}

/**
 * Runs synchronous work (a write channel's, inside its transaction) as a job, so its progress
 * events reach the window while it runs; Jobs.run calls the work before its first await.
 */
function syncJob<T>(ctx: Context, channel: string, jobId: string | undefined, work: (job: Job) => T): T {
  return ctx.jobs.runSync(channel, jobId, work);
}

function report(t: RosterTable, plan: Plan) {
  return {
    fileName: t.fileName,
    sha256: t.sha256,
    kind: plan.kind,
    rows: t.rows.length,
    counts: counts(plan),
    dateQuestions: plan.dateQuestions,
    unmapped: plan.unmapped,
    facilitiesToCreate: [...plan.newFacilities.values()].map((f) => ({ name: f.fields.name, lines: f.lines })),
    rejected: only(plan, 'rejected').slice(0, LIST_CAP).map(({ line, label, issues }) => ({ line, label, issues })),
    held: only(plan, 'held').slice(0, LIST_CAP).map(({ line, label, similar }) => ({ line, label, similar })),
    updates: only(plan, 'update').slice(0, LIST_CAP).map(({ line, label, id, changed }) => ({ line, label, id, fields: changed })),
    skipped: only(plan, 'skipped').map(({ line, message }) => ({ line, message })),
  };
}

function refuseDateQuestions(plan: Plan): void {
  if (!plan.dateQuestions.length) return;
  const issues = plan.dateQuestions.map((q) => ({
    path: ['dateOrders', q.field],
    message: `column "${q.column}" has dates that read either way (${q.samples.join(', ')}): choose day/month order (dmy) or month/day (mdy)`,
  }));
  throw new AppError('INVALID_INPUT', issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), issues);
}

const SETTING_PREFIX = 'import.mapping.';

function savedMappings(ctx: Context, kind?: ImportKind) {
  const rows = stmt(ctx.db, `SELECT key, value FROM settings WHERE key LIKE 'import.mapping.%' ORDER BY key`).all() as { key: string; value: string }[];
  return rows
    .map((r) => JSON.parse(r.value) as { name: string; kind: ImportKind; mapping: Record<string, ImportField | ''>; savedAt: string })
    .filter((m) => !kind || m.kind === kind)
    .sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0));
}

function rejectedCsv(t: RosterTable, plan: Plan): { text: string; rows: number } {
  const byLine = new Map(t.rows.map((r) => [r.line, r.cells]));
  const lines: string[][] = [['Row', 'Problem', ...t.headers]];
  for (const r of plan.rows) {
    if (r.status !== 'rejected' && r.status !== 'held') continue;
    const problem = r.status === 'rejected'
      ? r.issues.map((i) => `${i.column || i.field}: ${i.message}`).join('; ')
      : `held for review: no A-number, and a similar name is in Attest (${r.similar.map((s) => `${s.name} ${s.filingCode}`).join('; ')})`;
    const cells = byLine.get(r.line) ?? [];
    lines.push([String(r.line), problem, ...t.headers.map((_, i) => cells[i] ?? '')]);
  }
  // toCsv neutralises every cell a spreadsheet would run as a formula.
  return { text: toCsv(lines, { bom: true }), rows: lines.length - 1 };
}

export const importHandlers: HandlersFor<'import:'> = {
  'import:choose-file': async ({ probe }, ctx) => {
    const host = reportHostOf(ctx);
    if (!host?.chooseFile) return { available: false, path: null };
    return { available: true, path: probe ? null : await host.chooseFile() };
  },
  'import:read': async (input, ctx) => {
    const t = await read(ctx, input);
    const guessed = guessMapping(t.headers, input.kind);
    const guess = Object.fromEntries(t.headers.map((h, i) => [h, guessed[i] ?? ''])) as Record<string, ImportField | ''>;
    const allowed = new Set<string>(fieldsOf(input.kind));
    const saved = savedMappings(ctx, input.kind).find((m) => Object.entries(m.mapping).every(([h, f]) => !f || (t.headers.includes(h) && allowed.has(f))));
    return {
      fileName: t.fileName,
      sha256: t.sha256,
      bytes: t.bytes,
      format: t.format,
      encoding: t.encoding,
      encodingDetected: t.encodingDetected,
      sheets: t.sheets,
      sheet: t.sheet,
      headerLine: t.headerLine,
      headers: t.headers,
      rowCount: t.rows.length,
      preview: t.rows.slice(0, 10).map((r) => ({ line: r.line, cells: t.headers.map((_, i) => (r.cells[i] ?? '').slice(0, 200)) })),
      guess,
      saved: saved ? { name: saved.name, mapping: saved.mapping } : null,
    };
  },
  'import:check': (input, ctx) =>
    ctx.jobs.run('import:check', input.jobId, async (job) => {
      job.progress('reading the file', 0, 1);
      const t = await read(ctx, input);
      job.check();
      const plan = planFor(ctx, t, input, job);
      // A cancel that arrived while the rows were checked (this thread was busy) is honoured here.
      job.check();
      return report(t, plan);
    }),
  'import:export-rejected': async (input, ctx) => {
    const t = await read(ctx, input);
    const plan = planFor(ctx, t, input);
    const { text, rows } = rejectedCsv(t, plan);
    const p = parsePath(input.path);
    const out = input.out ?? join(dirname(input.path), `${p.name}.rejected.csv`);
    // A new file renamed into place: never a half-written CSV under the final name.
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, out);
    return { path: out, rows };
  },
  'import:run': (input, ctx) => syncJob(ctx, 'import:run', input.jobId, (job) => {
    const fresh = readRosterSync(input.path, input);
    if (fresh.sha256 !== input.sha256) {
      throw new AppError('CONFLICT', 'sha256: the file changed since it was checked; check it again before importing', [{ path: ['sha256'], message: 'the file changed since it was checked' }]);
    }
    // The table checked, when it is still held; a CSV is parsed again from the same bytes otherwise.
    const t = tables.get(ctx)?.get(tableKey(input.sha256, input)) ?? fresh.parse?.();
    if (!t) throw new AppError('CONFLICT', 'path: check this workbook (import:check) before importing it', [{ path: ['path'], message: 'not checked yet' }]);
    const plan = planFor(ctx, t, input, job);
    refuseDateQuestions(plan);
    const c = counts(plan);
    if (!input.validOnly && (c.rejected || c.held)) {
      const listed = [...only(plan, 'rejected').flatMap((r) => r.issues.map((i) => ({ path: ['rows', r.line, i.field], message: `${i.column || i.field}: ${i.message}` }))), ...only(plan, 'held').map((r) => ({ path: ['rows', r.line], message: 'held for review: no A-number, and a similar name is in Attest' }))];
      throw new AppError(
        'INVALID_INPUT',
        `${c.rejected} row(s) rejected and ${c.held} held for review; nothing was written. Fix them, or import only the valid rows. First: ${listed.slice(0, 3).map((i) => `row ${i.path[1]}: ${i.message}`).join('; ')}`,
        listed.slice(0, 200),
      );
    }
    const day = ctx.now().toISOString().slice(0, 10);
    const reason = `roster import ${t.fileName.slice(0, 200)}, ${day} (SHA-256 ${t.sha256})`;
    const writes = c.create + c.update;
    const applied = applyPlan(ctx.db, plan, writeMeta(ctx, reason), (done) => job.progress('writing records', Math.min(done, writes), writes));
    return {
      fileName: t.fileName,
      sha256: t.sha256,
      reason,
      counts: c,
      created: applied.created.slice(0, LIST_CAP).map(({ line, label, id, code }) => ({ line, label, id, code })),
      updated: applied.updated.slice(0, LIST_CAP),
      held: only(plan, 'held').slice(0, LIST_CAP).map(({ line, label, similar }) => ({ line, label, similar })),
      rejected: only(plan, 'rejected').slice(0, LIST_CAP).map(({ line, label, issues }) => ({ line, label, issues })),
      facilitiesCreated: applied.facilitiesCreated,
    };
  }),
  'import:save-mapping': ({ name, kind, mapping }, ctx) => {
    const savedAt = ctx.now().toISOString();
    const value = { name, kind, mapping, savedAt };
    writeSetting(ctx.db, `${SETTING_PREFIX}${kind}.${name}`, JSON.stringify(value), writeMeta(ctx, `import mapping "${name}" saved`));
    return value;
  },
  'import:mappings': ({ kind }, ctx) => ({ items: savedMappings(ctx, kind) }),
};
