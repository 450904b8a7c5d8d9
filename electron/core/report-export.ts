// Builds an exhibit from the database and writes it: every requested format, the sealed key for a
// public export, and a manifest with the SHA-256 of each file; then logs the export.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { loadReportKeys, loadReportSource } from '../../db/repo/report-source';
import { getDefinition, getExport, getOfficeSettings, logExport, type ExportRecord } from '../../db/repo/reports';
import { fsyncDir, moveNoReplace, processAlive, writeNewFileSynced } from '../../db/durable';
import { newId } from '../../db/ids';
import type { Db } from '../../db/driver';
import { headTip } from '../../db/history/anchors';
import { sha256 } from '../../db/history/audit';
import { logCsvLines, renderLogCsv, renderSummaryCsv } from '../../shared/report/csv';
import { OfficeSettings, type RedactionProfile, type ReportDefinition } from '../../shared/report/definition';
import { renderDocx } from '../../shared/report/docx';
import { renderHtml } from '../../shared/report/html';
import { buildManifest, exportBaseName, SEALED_FOLDER, sealedKeyBaseName, type ExportManifest, type ManifestFile } from '../../shared/report/manifest';
import { buildReferenceList, buildReportFrame, FrameMemo, type BuildInput, type LogRow, type ReferenceInput, type ReportModel, type SummaryCell } from '../../shared/report/model';
import type { ReportKeySource } from '../../shared/report/source';
import { reviewApplier } from '../../shared/report/review';
import { exhibitPdfOptions, forPrinting } from '../../shared/report/pdf-options';
import { renderReferenceCsv, renderReferenceHtml } from '../../shared/report/reference';
import { writeXlsx } from '../../shared/report/xlsx';
import type { ExportFormat } from '../../shared/report/channels';
import { AppError } from '../../shared/errors';
import type { PdfPrinter } from './report-host';
import { reviewReport } from './report-review';
import { listConflicts } from '../../db/sync/conflicts';
import { openCodeClashes } from '../../db/sync/codes';
import { hasDevices } from '../../db/history/versions';


export function officeSettings(db: Db): OfficeSettings {
  const parsed = OfficeSettings.safeParse(getOfficeSettings(db));
  return parsed.success ? parsed.data : OfficeSettings.parse({});
}

export interface ResolvedDefinition {
  definition: ReportDefinition;
  definitionId: string | null;
  definitionVersion: number | null;
}

export function resolveDefinition(db: Db, ref: { definitionId?: string | undefined; definition?: ReportDefinition | undefined }): ResolvedDefinition {
  if (ref.definitionId) {
    const saved = getDefinition(db, ref.definitionId);
    if (!saved) throw new AppError('NOT_FOUND', `no report definition with id ${ref.definitionId}`, [{ path: ['definitionId'], message: 'not found' }]);
    return { definition: saved.definition, definitionId: saved.id, definitionVersion: saved.version };
  }
  if (!ref.definition) throw new AppError('INVALID_INPUT', 'give a definitionId or a definition', [{ path: ['definitionId'], message: 'required' }]);
  return { definition: ref.definition, definitionId: null, definitionVersion: null };
}

export function buildInput(db: Db, r: ResolvedDefinition, generatedAt: string, appVersion: string): BuildInput {
  const source = loadReportSource(db, { from: r.definition.periodFrom, to: r.definition.periodTo });
  return { source, definition: r.definition, settings: officeSettings(db), generatedAt, appVersion, definitionId: r.definitionId };
}

/** A record of the report with more than one head (edited on two laptops, not yet resolved). */
export interface OpenConflict {
  entity: string;
  id: string;
  label: string;
  /** Heads of the record; for a filing code given twice, the people holding it. */
  heads: number;
  /** 'code': a person whose filing code another person also holds (db/sync/codes.ts). */
  kind?: 'heads' | 'code';
}

const REPORT_ENTITIES = new Set(['incident', 'person', 'facility', 'interview']);

/**
 * The records of a report (incidents, their people, facilities, interviews) with open conflicts:
 * the few records with several heads are found first, then looked for among the report's.
 */
export function openConflictsIn(db: Db, holds: (ids: ReadonlySet<string>) => Set<string>): OpenConflict[] {
  if (!hasDevices(db)) return [];
  const ids = db.prepare(`SELECT DISTINCT id FROM record_heads WHERE entity IN ('incident', 'person', 'facility', 'interview') GROUP BY entity, id HAVING count(*) > 1`).pluck().all() as string[];
  // A filing code held by two people is an open conflict of each of them (db/sync/codes.ts).
  const clashes = openCodeClashes(db).flatMap((c) =>
    c.people.map((p) => ({ entity: 'person', id: p.id, label: `${p.familyName}, ${p.givenName}: filing code ${c.code} given to ${c.people.length} people`, heads: c.people.length, kind: 'code' as const })),
  );
  if (ids.length === 0 && clashes.length === 0) return [];
  const held = holds(new Set([...ids, ...clashes.map((c) => c.id)]));
  if (held.size === 0) return [];
  const withHeads = ids.length === 0 ? [] : listConflicts(db)
    .filter((c) => REPORT_ENTITIES.has(c.entity) && held.has(c.id))
    .map((c) => ({ entity: c.entity, id: c.id, label: c.label, heads: c.heads }));
  return [...withHeads, ...clashes.filter((c) => held.has(c.id) && !withHeads.some((w) => w.entity === 'person' && w.id === c.id))];
}

/** How an export goes on with open conflicts: refused unless the caller chose to note them. */
export function conflictGate(conflicts: readonly OpenConflict[], choice: 'refuse' | 'note' | undefined): void {
  if (conflicts.length === 0 || choice === 'note') return;
  const named = conflicts.map((c) => `${c.entity} ${c.id} (${c.label}${c.kind === 'code' ? '' : `, ${c.heads} heads`})`);
  const n = conflicts.length;
  throw new AppError(
    'INVALID_INPUT',
    `conflicts: ${n} ${n === 1 ? 'record of this report has' : 'records of this report have'} an open conflict (edited on two laptops): ${named.join('; ')}. Resolve ${n === 1 ? 'it' : 'them'} on the Sync page, or export with conflicts: 'note' to name ${n === 1 ? 'it' : 'them'} in the method note and manifest; nothing was written`,
    conflicts.map((c) => ({ path: ['conflicts'], message: c.kind === 'code' ? `${c.entity} ${c.id} holds a filing code given to ${c.heads} people` : `${c.entity} ${c.id} has ${c.heads} heads` })),
  );
}

/** The method note's paragraph naming the records exported with open conflicts (by id: no names). */
export function conflictNote(conflicts: readonly OpenConflict[]): string {
  const heads = conflicts.filter((c) => c.kind !== 'code');
  const codes = conflicts.filter((c) => c.kind === 'code');
  const edited = heads.length
    ? `Exported with open conflicts: ${heads.length === 1 ? 'this record was' : 'these records were'} edited on two laptops and not yet reconciled; the exhibit shows one version of each by a fixed rule, and the other is kept in the history: ${heads
        .map((c) => `${c.entity} ${c.id} (${c.heads} versions)`)
        .join('; ')}.`
    : '';
  const given = codes.length
    ? `Exported with a filing code given to more than one person (entered on laptops that had not synced), not yet resolved: ${codes.map((c) => `${c.entity} ${c.id} (one of ${c.heads} holding the code)`).join('; ')}.`
    : '';
  return [edited, given].filter(Boolean).join(' ');
}

/** What the last click on a count read, per connection: its key rows and redactor, while nothing changed. */
interface PreviewMemo {
  period: string;
  /** The connection's own changes and other connections' commits when the keys were read. */
  version: string;
  source: ReportKeySource;
  frames: FrameMemo;
}
const previewMemos = new WeakMap<Db, PreviewMemo>();

/**
 * The key rows of the period, read again only when the database has changed since the last
 * click (a write on this connection, or a commit by another: the CLI, a restore) or the period
 * differs; with them the last redactor, which the model keeps only for the same selection.
 */
function previewMemo(db: Db, period: { from: string; to: string }): PreviewMemo {
  const version = `${db.prepare('SELECT total_changes()').pluck().get() as number}/${db.pragma('data_version', { simple: true }) as number}`;
  const key = `${period.from}|${period.to}`;
  const last = previewMemos.get(db);
  if (last && last.period === key && last.version === version) return last;
  const memo = { period: key, version, source: loadReportKeys(db, period), frames: new FrameMemo() };
  previewMemos.set(db, memo);
  return memo;
}

/** One cell of Table 1 with the incidents behind it: a facility's row or every facility, a category's column or all. */
export function reportCell(db: Db, r: ResolvedDefinition, generatedAt: string, appVersion: string, facilityId: string | null, category: string | null): SummaryCell {
  const memo = previewMemo(db, { from: r.definition.periodFrom, to: r.definition.periodTo });
  const frame = buildReportFrame({ source: memo.source, memo: memo.frames, definition: r.definition, settings: officeSettings(db), generatedAt, appVersion, definitionId: r.definitionId });
  const s = frame.model.summary;
  const none: SummaryCell = { count: 0, incidentIds: [], rowIds: [] };
  const row = facilityId === null ? null : s.rows.find((x) => x.facilityId === facilityId);
  if (facilityId !== null && !row) return none;
  if (category === null) return row ? row.total : s.grandTotal;
  const k = s.categories.findIndex((c) => c.code === category);
  if (k < 0) return none;
  return (row ? row.cells[k] : s.totals[k]) ?? none;
}

export interface RenderedFile {
  name: string;
  format: string;
  bytes: Uint8Array;
}

/** A file being written in pieces. */
export interface FileOut {
  write: (chunk: string | Uint8Array) => void;
  /** The same file as a Node stream (the workbook writer's); end it, or call close. */
  writable: () => Writable;
  close: () => void;
}

/**
 * Where an export's files go as they are rendered: a hidden staging folder (an export: each file
 * written, hashed and fsynced as it comes) or memory (a filing bundle combines the exhibit's bytes).
 */
export interface FileSink {
  put: (name: string, format: string, bytes: Uint8Array) => void;
  open: (name: string, format: string) => FileOut;
}

/** Pieces of text gathered into writes of about this many characters. */
const WRITE_CHARS = 1 << 16;

/**
 * A FileOut over one function taking bytes: text gathered into larger writes, bytes passed on. A
 * write that fails through the stream (a full disk) does not end the stream (the workbook writer
 * would wait on it forever): it is kept, later writes are dropped, and close throws it.
 */
function fileOut(sink: (bytes: Uint8Array) => void, finish: () => void): FileOut {
  let text = '';
  let failed: { error: unknown } | null = null;
  const flush = () => {
    if (text) sink(Buffer.from(text, 'utf8'));
    text = '';
  };
  const write = (chunk: string | Uint8Array) => {
    if (typeof chunk === 'string') {
      text += chunk;
      if (text.length >= WRITE_CHARS) flush();
    } else {
      flush();
      sink(chunk);
    }
  };
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      if (!failed) flush();
      finish();
    }
    if (failed) throw failed.error;
  };
  return {
    write,
    close,
    writable: () =>
      new Writable({
        write(chunk: Buffer, _enc, done) {
          try {
            if (!failed) write(chunk);
          } catch (error) {
            failed = { error };
          }
          done();
        },
        final(done) {
          try {
            close();
          } catch (error) {
            failed ??= { error };
          }
          done();
        },
      }),
  };
}

/** Files kept in memory, in the order written. */
export function memorySink(): FileSink & { files: RenderedFile[] } {
  const files: RenderedFile[] = [];
  return {
    files,
    put: (name, format, bytes) => void files.push({ name, format, bytes }),
    open: (name, format) => {
      const parts: Uint8Array[] = [];
      return fileOut(
        (b) => parts.push(b),
        () => void files.push({ name, format, bytes: new Uint8Array(Buffer.concat(parts)) }),
      );
    },
  };
}

/**
 * Files written into `dir` (new files, owner-only), each hashed as it is written and fsynced when
 * closed; `files` lists them (name, size, SHA-256) as closed.
 */
export function stagingSink(dir: string): FileSink & { files: ManifestFile[] } {
  const files: ManifestFile[] = [];
  const open = (name: string, format: string): FileOut => {
    if (name.includes('/')) mkdirSync(dirname(join(dir, name)), { recursive: true, mode: 0o700 });
    const fd = openSync(join(dir, name), 'wx', 0o600);
    const hash = createHash('sha256');
    let bytes = 0;
    let open = true;
    return fileOut(
      (b) => {
        hash.update(b);
        bytes += b.byteLength;
        for (let off = 0; off < b.byteLength; ) off += writeSync(fd, b, off, b.byteLength - off);
      },
      () => {
        if (!open) return;
        open = false;
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        files.push({ name, format, bytes, sha256: hash.digest('hex') });
      },
    );
  };
  return {
    files,
    open,
    put: (name, format, b) => {
      const out = open(name, format);
      out.write(b);
      out.close();
    },
  };
}

export interface RenderOptions {
  formats: readonly ExportFormat[];
  bom: boolean;
  includeKey: boolean;
  pdf: PdfPrinter | null;
  onStep?: (step: string) => void;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** What the files are rendered from: the model's head and its log rows, whole or as a stream. */
export interface ExportContent {
  /** The report's key rows and people (the sealed key numbers its witnesses over them). */
  input: ReferenceInput;
  /** The model; its `log.rows` are empty when the rows come as a stream. */
  model: ReportModel;
  /** The log rows, in order, built (and redacted) as they are taken; each call starts over. */
  rows: () => Iterable<LogRow>;
}

/** Formats laid out from the whole model at once (and the sealed key, which reads the HTML). */
const WHOLE_FORMATS: readonly ExportFormat[] = ['html', 'docx', 'pdf'];

/**
 * Every file of one export into `sink`. The CSV and the workbook are written row by row from the
 * model's stream of rows, so an export of those alone never holds its whole log; the HTML, DOCX
 * and PDF (and the sealed key, which lists the codes the HTML and CSV show) are laid out from the
 * whole model, whose rows are then built once and shared by every format.
 */
export async function writeExportFiles(content: ExportContent, sink: FileSink, opts: RenderOptions): Promise<void> {
  const key = content.model.profile === 'public' && opts.includeKey;
  const whole = key || opts.formats.some((f) => WHOLE_FORMATS.includes(f));
  const model = whole ? { ...content.model, log: { ...content.model.log, rows: [...content.rows()] } } : content.model;
  const rows = whole ? () => model.log.rows : content.rows;
  const base = exportBaseName(model);
  const step = opts.onStep ?? (() => undefined);
  // The HTML is the exhibit, the PDF's source and the sealed key's reference: rendered once, and
  // only when one of those is asked for (a 30,000-row CSV or XLSX export does not hold it too).
  let rendered: string | undefined;
  const htmlOf = () => (rendered ??= renderHtml(model));
  for (const f of opts.formats) {
    step(f);
    if (f === 'html') sink.put(`${base}.html`, 'html', utf8(htmlOf()));
    if (f === 'csv') {
      const out = sink.open(`${base}-log.csv`, 'csv');
      for (const line of logCsvLines(model, rows(), { bom: opts.bom })) out.write(line);
      out.close();
      sink.put(`${base}-summary.csv`, 'csv', utf8(renderSummaryCsv(model, { bom: opts.bom })));
    }
    if (f === 'xlsx') {
      const out = sink.open(`${base}.xlsx`, 'xlsx');
      await writeXlsx(model, rows(), out.writable());
      out.close();
    }
    if (f === 'docx') sink.put(`${base}.docx`, 'docx', await renderDocx(model));
    if (f === 'pdf') {
      if (!opts.pdf) throw new AppError('INVALID_INPUT', 'no PDF printer is available here', [{ path: ['formats'], message: 'pdf is not available' }]);
      sink.put(`${base}.pdf`, 'pdf', await opts.pdf.print(forPrinting(htmlOf()), exhibitPdfOptions(model)));
    }
  }
  if (key) {
    step('sealed key');
    // The key lists exactly the codes the public files show (the log CSV has the same cells as the HTML).
    const reference = buildReferenceList(content.input, model, [htmlOf(), renderLogCsv(model, { bom: false })]);
    const keyHtml = renderReferenceHtml(reference);
    // Never beside the public files: in a folder of its own whose name, like each file's, says sealed.
    const sealed = `${SEALED_FOLDER}/${sealedKeyBaseName(model)}`;
    sink.put(`${sealed}.html`, 'key-html', utf8(keyHtml));
    sink.put(`${sealed}.csv`, 'key-csv', utf8(renderReferenceCsv(reference, opts.bom)));
    if (opts.formats.includes('pdf') && opts.pdf) {
      sink.put(`${sealed}.pdf`, 'key-pdf', await opts.pdf.print(forPrinting(keyHtml), exhibitPdfOptions(model)));
    }
  }
}

/** A base name that collides with no file already in the folder: earlier exports are never overwritten. */
function freeNames(folder: string, files: readonly string[], manifestName: string): { names: string[]; manifestName: string } {
  for (let n = 1; n < 1000; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const rename = (name: string) => name.replace(/(\.[a-z]+)$/, `${suffix}$1`);
    const names = [...files.map(rename), rename(manifestName)];
    if (names.every((x) => !existsSync(join(folder, x)))) return { names: files.map(rename), manifestName: rename(manifestName) };
  }
  throw new AppError('CONFLICT', `the folder ${folder} already holds too many exports of this exhibit`);
}

/** Where an export is written before it is logged and moved into place: hidden, named by its log id. */
const STAGING = /^\.attest-export-([0-9A-Z]{26})-(\d+)\.partial$/;

function stagingName(id: string): string {
  return `.attest-export-${id}-${process.pid}.partial`;
}

/** A staged export's files, subfolders' files included (the sealed key's), as paths relative to it. */
function stagedFiles(staging: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(staging, { withFileTypes: true })) {
    if (e.isDirectory()) for (const f of readdirSync(join(staging, e.name))) out.push(`${e.name}/${f}`);
    else out.push(e.name);
  }
  return out;
}

/**
 * Moves a staged export's files into the folder, subfolders first (created owner-only), the
 * manifest last; a file already there is kept.
 */
function finishStaged(folder: string, staging: string): void {
  const names = stagedFiles(staging).sort((a, b) => Number(a.endsWith('-manifest.json')) - Number(b.endsWith('-manifest.json')) || Number(!a.includes('/')) - Number(!b.includes('/')));
  const dirs = new Set<string>();
  for (const name of names) {
    const to = join(folder, name);
    if (name.includes('/') && !existsSync(dirname(to))) {
      mkdirSync(dirname(to), { mode: 0o700 });
      dirs.add(dirname(to));
    }
    if (existsSync(to)) rmSync(join(staging, name), { force: true });
    else moveNoReplace(join(staging, name), to);
  }
  for (const d of dirs) fsyncDir(d);
  fsyncDir(folder);
  rmSync(staging, { recursive: true, force: true });
  fsyncDir(folder);
}

/**
 * What a killed export left in a folder: a staged export already logged is finished (its files
 * moved into place), one never logged is removed, so no exhibit lies there without its manifest
 * and log entry. Exports still being written by a live process are left alone.
 */
export function recoverExportLeftovers(db: Db, folder: string): { finished: string[]; removed: string[] } {
  const out = { finished: [] as string[], removed: [] as string[] };
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return out;
  for (const name of readdirSync(folder)) {
    const m = STAGING.exec(name);
    if (!m) continue;
    const [, id, pid] = m;
    const staging = join(folder, name);
    if (getExport(db, id!)) {
      finishStaged(folder, staging);
      out.finished.push(id!);
    } else if (Number(pid) !== process.pid && !processAlive(Number(pid))) {
      rmSync(staging, { recursive: true, force: true });
      out.removed.push(id!);
    }
  }
  return out;
}

/**
 * On open: exports killed after they were logged but before every file was moved into place are
 * finished in the folders of the recent exports, so nothing listed lacks its files. A folder that
 * is not there now (a USB stick taken out) is left for the next open or the next export to it.
 */
export function finishLoggedExports(db: Db, recent = 20): string[] {
  const folders = db
    .prepare(`SELECT folder FROM report_exports GROUP BY folder ORDER BY MAX(generated_at) DESC LIMIT ?`)
    .pluck()
    .all(recent) as string[];
  const finished: string[] = [];
  for (const folder of folders) {
    try {
      finished.push(...recoverExportLeftovers(db, folder).finished);
    } catch {
      // An unreadable folder is not this open's to fix; the export's own verify will say so.
    }
  }
  return finished;
}

export interface ExportRequest {
  ref: { definitionId?: string | undefined; definition?: ReportDefinition | undefined };
  profile?: RedactionProfile | undefined;
  formats: readonly ExportFormat[];
  folder: string;
  bom: boolean;
  includeKey: boolean;
  /** Refuse a public export while the redaction review has a suspicious span without a choice. */
  strict?: boolean;
  /** Records of the report with open conflicts: refused unless 'note' (then named in the note and manifest). */
  conflicts?: 'refuse' | 'note' | undefined;
  generatedAt: string;
  generatedBy: string | null;
  appVersion: string;
  pdf: PdfPrinter | null;
  onStep?: (step: string, done: number, total: number) => void;
}

/** What building an exhibit needs: plain data, so a reader thread can be handed it. */
export type BuildRequest = Pick<ExportRequest, 'ref' | 'profile' | 'formats' | 'bom' | 'includeKey' | 'strict' | 'conflicts' | 'generatedAt' | 'appVersion'>;

/** An exhibit built in memory. Not the model itself: a reader thread hands this to the core, and
 * copying a 2,000-row model between threads costs the receiving thread a tenth of a second. */
export interface BuiltExport {
  resolved: ResolvedDefinition;
  baseName: string;
  /** The manifest before the files and the history's tip are listed. */
  manifest: ExportManifest;
  files: RenderedFile[];
}

/** The steps an export reports: reading, each format, the sealed key, writing, logging. */
export function exportSteps(formats: readonly unknown[]): number {
  return formats.length + 3;
}

/**
 * The reading part of an export: the records, the model and every file, in memory (a filing
 * bundle combines the exhibit's bytes). It writes nothing, so it can be stopped at any point.
 */
export async function buildExport(db: Db, req: BuildRequest, pdf: PdfPrinter | null, onStep?: (step: string) => void): Promise<BuiltExport> {
  const sink = memorySink();
  const built = await renderExport(db, req, pdf, sink, onStep);
  return { ...built, files: sink.files };
}

/**
 * The records, the one model (its log rows as a stream: read a chunk at a time, built, redacted
 * and reviewed one by one) and every file, written into `sink` as they are rendered.
 */
async function renderExport(db: Db, req: BuildRequest, pdf: PdfPrinter | null, sink: FileSink, onStep?: (step: string) => void): Promise<Omit<BuiltExport, 'files'>> {
  const step = onStep ?? (() => undefined);
  const found = resolveDefinition(db, req.ref);
  const definition = req.profile ? { ...found.definition, profile: req.profile } : found.definition;
  const resolved = { ...found, definition };
  step('reading records');
  // Key rows for every incident (no free text); the texts are read a chunk at a time as rows are built.
  const source = loadReportKeys(db, { from: definition.periodFrom, to: definition.periodTo });
  const input = { source, definition, settings: officeSettings(db), generatedAt: req.generatedAt, appVersion: req.appVersion, definitionId: resolved.definitionId };
  // A public exhibit is checked against its redaction review before anything is written; the
  // manifest then lists the choices made and what was left unreviewed.
  const review = definition.profile === 'public' ? reviewReport(db, input) : null;
  if (review && req.strict && review.counts.unreviewed > 0) {
    const n = review.counts.unreviewed;
    throw new AppError('INVALID_INPUT', `review: ${n} suspicious ${n === 1 ? 'span has' : 'spans have'} no review choice yet (accept or redact each); nothing was written`, [
      { path: ['review'], message: `${n} unreviewed` },
    ]);
  }
  const frame = buildReportFrame(input);
  // A public one also carries the paralegal's "redact by hand" choices, on the model and on each row as it is built.
  const hand = frame.model.profile === 'public' ? reviewApplier(definition.review ?? []) : null;
  const built = hand ? hand.head(frame.model) : frame.model;
  // Records with open conflicts: refused (nothing written) unless the caller chose to note them.
  const conflicts = openConflictsIn(db, frame.holds);
  conflictGate(conflicts, req.conflicts);
  const model = conflicts.length ? { ...built, methodNote: [...built.methodNote, conflictNote(conflicts)] } : built;
  const rows = hand ? () => mapRows(frame.rows(), hand.row) : () => frame.rows();
  await writeExportFiles({ input, model, rows }, sink, { formats: req.formats, bom: req.bom, includeKey: req.includeKey, pdf, onStep: step });
  // The definition as the exhibit shows it: a public manifest must not hold the names its texts had
  // (the review's choices included: their spans went through the redactor with the rest).
  const shown = model.definition;
  const manifest = {
    ...buildManifest(model, shown, [], review ? { counts: review.counts, decisions: shown.review ?? [] } : null),
    rows: frame.rowKeys(),
    records: recordPins(db, model.recordIds),
    ...(conflicts.length ? { openConflicts: conflicts.map(({ entity, id, heads, kind }) => ({ entity, id, heads, ...(kind === 'code' ? { kind } : {}) })) } : {}),
  };
  return { resolved, baseName: exportBaseName(model), manifest };
}

function* mapRows(rows: Iterable<LogRow>, f: (r: LogRow) => LogRow): Generator<LogRow> {
  for (const r of rows) yield f(r);
}

/**
 * Each record behind the exhibit at the version the exhibit shows (its shown head), written on this
 * laptop or on another one, with that version's content hash and its place in its device's chain
 * ("device:seq"): what the manifest pins.
 */
export function recordPins(db: Db, ids: ReportModel['recordIds']): NonNullable<ExportManifest['records']> {
  const head = db.prepare(`SELECT device, seq, version FROM record_heads WHERE entity = ? AND id = ? AND shown = 1`);
  const local = db.prepare(`SELECT device FROM device_key WHERE one = 1`).pluck().get() as string;
  const localHash = db.prepare(`SELECT content_hash FROM audit_log WHERE seq = ?`).pluck();
  const foreignHash = db.prepare(`SELECT content_hash FROM foreign_rows WHERE device = ? AND seq = ?`).pluck();
  const out: NonNullable<ExportManifest['records']> = [];
  for (const [entity, list] of [['facility', ids.facilities], ['incident', ids.incidents], ['interview', ids.interviews], ['person', ids.people]] as const) {
    for (const id of [...new Set(list)].sort()) {
      const h = head.get(entity, id) as { device: string; seq: number; version: number } | undefined;
      if (!h) continue;
      const contentHash = (h.device === local ? localHash.get(h.seq) : foreignHash.get(h.device, h.seq)) as string;
      out.push({ entity, id, version: h.version, contentHash, ref: `${h.device}:${h.seq}` });
    }
  }
  return out;
}

export function checkExportFolder(folder: string): void {
  if (existsSync(folder) && !statSync(folder).isDirectory()) {
    throw new AppError('INVALID_INPUT', `folder: ${folder} is a file, not a folder`, [{ path: ['folder'], message: 'is a file' }]);
  }
}

/** An export built, its files staged (written and fsynced in a hidden folder), not yet logged. */
export interface StagedExport extends Omit<BuiltExport, 'files'> {
  /** The export's log id, which names the staging folder. */
  id: string;
  manifestName: string;
  /** The files as staged: their names in the folder, sizes and hashes (the manifest lists these). */
  files: ManifestFile[];
}

/** Where an export is staged in its folder before it is logged. */
export function stagingFolder(folder: string, id: string): string {
  return join(folder, stagingName(id));
}

/**
 * The reading part of an export with its files written straight into a hidden staging folder in
 * the export folder as they are rendered (hashed as written, fsynced): the CSV and the workbook row
 * by row, so a long log is never held whole. File writes only, nothing in the database: a reader
 * thread does it. A cancel or a failure removes the staging folder.
 */
export async function buildAndStageExport(db: Db, req: BuildRequest, folder: string, id: string, pdf: PdfPrinter | null, onStep?: (step: string) => void): Promise<StagedExport> {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  recoverExportLeftovers(db, folder);
  const staging = stagingFolder(folder, id);
  mkdirSync(staging, { mode: 0o700 });
  try {
    const sink = stagingSink(staging);
    const built = await renderExport(db, req, pdf, sink, onStep);
    // Names that no earlier export in the folder holds: the staged files renamed to them.
    const { names, manifestName } = freeNames(folder, sink.files.map((f) => f.name), `${built.baseName}-manifest.json`);
    const files = sink.files.map((f, i) => {
      if (names[i] !== f.name) renameSync(join(staging, f.name), join(staging, names[i]!));
      return { ...f, name: names[i]! };
    });
    fsyncDir(staging);
    for (const d of new Set(files.filter((f) => f.name.includes('/')).map((f) => dirname(join(staging, f.name))))) fsyncDir(d);
    return { ...built, id, manifestName, files };
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/**
 * The export's files written to a hidden staging folder in the export folder and fsynced, with
 * their hashes: file writes only, nothing in the database, so a reader thread can do it (the thread
 * answering calls does not wait on the disk). Nothing visible: a cancel or a failure removes the
 * staging folder, and so does the next export to the folder if the app was killed. Reads the
 * database only to recognise leftovers of earlier exports (a read-only connection will do).
 */
export function stageExport(db: Db, folder: string, id: string, built: BuiltExport): StagedExport {
  // A folder made for the export is owner-only, as every file in it (0700 / 0600).
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // What a killed export left here is finished (already logged) or removed first.
  recoverExportLeftovers(db, folder);
  const free = freeNames(folder, built.files.map((f) => f.name), `${built.baseName}-manifest.json`);
  const { manifestName } = free;
  const files = built.files.map((f, i) => ({ ...f, name: free.names[i]! }));
  const staging = stagingFolder(folder, id);
  mkdirSync(staging, { mode: 0o700 });
  try {
    for (const f of files) {
      if (f.name.includes('/')) mkdirSync(dirname(join(staging, f.name)), { recursive: true, mode: 0o700 });
      writeNewFileSynced(join(staging, f.name), f.bytes, 0o600);
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const listed: ManifestFile[] = files.map((f) => ({ name: f.name, format: f.format, bytes: f.bytes.byteLength, sha256: sha256(f.bytes) }));
  return { resolved: built.resolved, baseName: built.baseName, manifest: built.manifest, id, manifestName, files: listed };
}

/**
 * The writing part, on the connection that writes: the manifest (with the history's tip as this
 * connection sees it just before the export is logged) staged too, the export logged, then the
 * files moved into place, the manifest last. Killed before the log: nothing visible, and the next
 * export removes the staging folder. Killed after: the next export (or the next open) finishes the moves.
 */
export function commitExport(db: Db, req: Pick<ExportRequest, 'folder' | 'generatedBy'>, staged: StagedExport): { export: ExportRecord; manifestPath: string } {
  const r = staged.resolved;
  const staging = stagingFolder(req.folder, staged.id);
  const manifest: ExportManifest = { ...staged.manifest, files: staged.files, history: headTip(db) };
  const manifestBytes = utf8(JSON.stringify(manifest, null, 2) + '\n');
  let record: ExportRecord;
  try {
    writeNewFileSynced(join(staging, staged.manifestName), manifestBytes, 0o600);
    fsyncDir(staging);
    fsyncDir(req.folder);
    record = db.transaction(() =>
      logExport(db, {
        id: staged.id,
        folder: req.folder,
        generatedBy: req.generatedBy,
        definitionVersion: r.definitionVersion,
        manifest: { ...manifest, files: [...staged.files, { name: staged.manifestName, format: 'manifest', bytes: manifestBytes.byteLength, sha256: sha256(manifestBytes) }] },
      }),
    ).immediate();
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  finishStaged(req.folder, staging);
  return { export: record, manifestPath: join(req.folder, staged.manifestName) };
}

/** Stages and logs an export in this thread (the CLI, the in-process bridge). */
export function saveExport(db: Db, req: Pick<ExportRequest, 'folder' | 'generatedBy'>, built: BuiltExport): { export: ExportRecord; manifestPath: string } {
  return commitExport(db, req, stageExport(db, req.folder, newId(), built));
}

export async function exportReport(db: Db, req: ExportRequest): Promise<{ export: ExportRecord; manifestPath: string }> {
  checkExportFolder(req.folder);
  const total = exportSteps(req.formats);
  let done = 0;
  const step = (s: string) => req.onStep?.(s, done++, total);
  const built = await buildExport(db, req, req.pdf, step);
  step('writing files');
  const out = saveExport(db, req, built);
  req.onStep?.('done', total, total);
  return out;
}

export function verifyFile(path: string, expected: string): { found: boolean; actual: string | null; matches: boolean } {
  if (!existsSync(path) || !statSync(path).isFile()) return { found: false, actual: null, matches: false };
  const actual = sha256(readFileSync(path));
  return { found: true, actual, matches: actual === expected };
}
