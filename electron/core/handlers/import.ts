// Roster import: read, check, write. The write (import:run) is a write channel, so dispatch runs it
// in one IMMEDIATE transaction: a refusal anywhere keeps nothing. It re-plans inside that
// transaction, against the records as they are then, from the same bytes that were checked. The
// file's rows and the plan live in TEMP tables of the connection (roster/stage.ts, roster/plan.ts):
// only the counts and the first LIST_CAP rows of each list come back into JS.
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join, parse as parsePath } from 'node:path';
import { writeSetting } from '../../../db/history/chained';
import { stmt } from '../../../db/stmt';
import { toCsv } from '../../../shared/report/csv';
import { AppError } from '../../../shared/errors';
import { fieldsOf, guessMapping, type ImportField, type ImportKind } from '../../../shared/roster/fields';
import { applyPlan, eachPlannedRow, planImport, plannedRows, type Plan } from '../roster/plan';
import { stageRoster, stageRosterSync, type Staged } from '../roster/stage';
import { reportHostOf } from '../report-host';
import type { Job } from '../jobs';
import type { Context } from './context';
import { writeMeta } from './context';
import type { HandlersFor } from './types';
import type { ParsedInput } from '../../../shared/contract';

const LIST_CAP = 5000;

async function read(ctx: Context, input: { path: string; sheet?: string | null | undefined; encoding?: ParsedInput<'import:read'>['encoding']; kind: ImportKind }): Promise<Staged> {
  return stageRoster(ctx.db, input.path, input);
}

// The last plan made on a connection, with what it was made from: the staged file, the input, the
// day, and the database as it was (total_changes: every row this connection wrote, its TEMP tables
// included; data_version: every commit of another connection). The write re-plans inside its
// transaction unless none of these moved since the check: then the check's plan is the plan.
const plans = new WeakMap<object, { stamp: string; plan: Plan }>();

function stampOf(ctx: Context, t: Staged, input: ParsedInput<'import:check'>, today: string): string {
  const n = stmt(ctx.db, `SELECT total_changes()`).pluck().get() as number;
  const v = ctx.db.pragma('data_version', { simple: true }) as number;
  return JSON.stringify([t.key, input.kind, input.mapping, input.dateOrders, today, n, v]);
}

function planFor(ctx: Context, t: Staged, input: ParsedInput<'import:check'>, job?: Job, reuse = false): Plan {
  const today = ctx.now().toISOString().slice(0, 10);
  const last = plans.get(ctx.db);
  if (reuse && last && last.stamp === stampOf(ctx, t, input, today)) return last.plan;
  plans.delete(ctx.db);
  const plan = planImport(ctx.db, t, {
    kind: input.kind,
    mapping: input.mapping,
    dateOrders: input.dateOrders,
    today,
    ...(job ? { onRow: (done: number, total: number) => job.progress('checking rows', done, total) } : {}),
  });
  // A plan made inside a transaction may yet be rolled back with it: not kept.
  if (!ctx.db.inTransaction) plans.set(ctx.db, { stamp: stampOf(ctx, t, input, today), plan });
  return plan;
}

/**
 * Runs synchronous work (a write channel's, inside its transaction) as a job, so its progress
 * events reach the window while it runs; Jobs.run calls the work before its first await.
 */
function syncJob<T>(ctx: Context, channel: string, jobId: string | undefined, work: (job: Job) => T): T {
  return ctx.jobs.runSync(channel, jobId, work);
}

const heldOut = ({ line, label, message, similar }: { line: number; label: string; message: string; similar: { id: string; name: string; filingCode: string }[] }) => ({ line, label, message, similar });

function report(ctx: Context, t: Staged, plan: Plan) {
  return {
    fileName: t.fileName,
    sha256: t.sha256,
    kind: plan.kind,
    rows: t.rowCount,
    counts: plan.counts,
    dateQuestions: plan.dateQuestions,
    unmapped: plan.unmapped,
    facilitiesToCreate: [...plan.newFacilities.values()].map((f) => ({ name: f.fields.name, lines: f.lines })),
    rejected: plannedRows(ctx.db, ['rejected'], LIST_CAP).map(({ line, label, issues }) => ({ line, label, issues })),
    held: plannedRows(ctx.db, ['held'], LIST_CAP).map(heldOut),
    updates: plannedRows(ctx.db, ['update'], LIST_CAP).map(({ line, label, id, changed }) => ({ line, label, id, fields: changed })),
    skipped: plannedRows(ctx.db, ['skipped'], LIST_CAP).map(({ line, message }) => ({ line, message })),
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

function rejectedCsv(ctx: Context, t: Staged): { text: string; rows: number } {
  const lines: string[][] = [['Row', 'Problem', ...t.headers]];
  const cellsOf = stmt(ctx.db, `SELECT cells FROM temp.roster_rows WHERE line = ?`).pluck();
  eachPlannedRow(ctx.db, ['rejected', 'held'], (r) => {
    const problem = r.status === 'rejected' ? r.issues.map((i) => `${i.column || i.field}: ${i.message}`).join('; ') : `held for review: ${r.message}`;
    const raw = cellsOf.get(r.line) as string | undefined;
    const cells = raw ? (JSON.parse(raw) as string[]) : [];
    lines.push([String(r.line), problem, ...t.headers.map((_, i) => cells[i] ?? '')]);
  });
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
      rowCount: t.rowCount,
      preview: t.preview.map((r) => ({ line: r.line, cells: t.headers.map((_, i) => (r.cells[i] ?? '').slice(0, 200)) })),
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
      return report(ctx, t, plan);
    }),
  'import:export-rejected': async (input, ctx) => {
    const t = await read(ctx, input);
    planFor(ctx, t, input);
    const { text, rows } = rejectedCsv(ctx, t);
    const p = parsePath(input.path);
    const out = input.out ?? join(dirname(input.path), `${p.name}.rejected.csv`);
    // A new file renamed into place: never a half-written CSV under the final name.
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, out);
    return { path: out, rows };
  },
  'import:run': (input, ctx) => syncJob(ctx, 'import:run', input.jobId, (job) => {
    const fresh = stageRosterSync(ctx.db, input.path, input);
    if (fresh.sha256 !== input.sha256) {
      throw new AppError('CONFLICT', 'sha256: the file changed since it was checked; check it again before importing', [{ path: ['sha256'], message: 'the file changed since it was checked' }]);
    }
    // The rows staged by the check, when they are still there; a CSV is streamed in again otherwise.
    const t = fresh.staged;
    if (!t) throw new AppError('CONFLICT', 'path: check this workbook (import:check) before importing it', [{ path: ['path'], message: 'not checked yet' }]);
    const plan = planFor(ctx, t, input, job, true);
    refuseDateQuestions(plan);
    const c = plan.counts;
    if (!input.validOnly && (c.rejected || c.held)) {
      const listed = [
        ...plannedRows(ctx.db, ['rejected'], 200).flatMap((r) => r.issues.map((i) => ({ path: ['rows', r.line, i.field], message: `${i.column || i.field}: ${i.message}` }))),
        ...plannedRows(ctx.db, ['held'], 200).map((r) => ({ path: ['rows', r.line], message: `held for review: ${r.message}` })),
      ];
      throw new AppError(
        'INVALID_INPUT',
        `${c.rejected} row(s) rejected and ${c.held} held for review; nothing was written. Fix them, or import only the valid rows. First: ${listed.slice(0, 3).map((i) => `row ${i.path[1]}: ${i.message}`).join('; ')}`,
        listed.slice(0, 200),
      );
    }
    const day = ctx.now().toISOString().slice(0, 10);
    const reason = `roster import ${t.fileName.slice(0, 200)}, ${day} (SHA-256 ${t.sha256})`;
    const writes = c.create + c.update;
    const applied = applyPlan(ctx.db, plan, writeMeta(ctx, reason), (done) => job.progress('writing records', Math.min(done, writes), writes), LIST_CAP);
    return {
      fileName: t.fileName,
      sha256: t.sha256,
      reason,
      counts: c,
      created: applied.created.map(({ line, label, id, code }) => ({ line, label, id, code })),
      updated: applied.updated,
      held: plannedRows(ctx.db, ['held'], LIST_CAP).map(heldOut),
      rejected: plannedRows(ctx.db, ['rejected'], LIST_CAP).map(({ line, label, issues }) => ({ line, label, issues })),
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
