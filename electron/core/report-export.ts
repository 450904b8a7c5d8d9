// Builds an exhibit from the database and writes it: every requested format, the sealed key for a
// public export, and a manifest with the SHA-256 of each file; then logs the export.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadReportKeys, loadReportSource } from '../../db/repo/report-source';
import { getDefinition, getExport, getOfficeSettings, logExport, type ExportRecord } from '../../db/repo/reports';
import { fsyncDir, moveNoReplace, processAlive, writeNewFileSynced } from '../../db/durable';
import { newId } from '../../db/ids';
import type { Db } from '../../db/driver';
import { headTip } from '../../db/history/anchors';
import { sha256 } from '../../db/history/audit';
import { renderLogCsv, renderSummaryCsv } from '../../shared/report/csv';
import { OfficeSettings, type RedactionProfile, type ReportDefinition } from '../../shared/report/definition';
import { renderDocx } from '../../shared/report/docx';
import { renderHtml } from '../../shared/report/html';
import { buildManifest, exportBaseName, SEALED_FOLDER, sealedKeyBaseName, type ExportManifest, type ManifestFile } from '../../shared/report/manifest';
import { buildReferenceList, buildReportFrame, buildReportModel, FrameMemo, type BuildInput, type ReportModel, type SummaryCell } from '../../shared/report/model';
import type { ReportKeySource } from '../../shared/report/source';
import { exhibitPdfOptions, forPrinting } from '../../shared/report/pdf-options';
import { renderReferenceCsv, renderReferenceHtml } from '../../shared/report/reference';
import { renderXlsx } from '../../shared/report/xlsx';
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

export interface RenderOptions {
  formats: readonly ExportFormat[];
  bom: boolean;
  includeKey: boolean;
  pdf: PdfPrinter | null;
  onStep?: (step: string) => void;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Every file of one export, in memory: pure renderers plus the PDF printer. */
export async function renderExportFiles(input: BuildInput, model: ReportModel, opts: RenderOptions): Promise<RenderedFile[]> {
  const base = exportBaseName(model);
  const files: RenderedFile[] = [];
  const step = opts.onStep ?? (() => undefined);
  // The HTML is the exhibit, the PDF's source and the sealed key's reference: rendered once, and
  // only when one of those is asked for (a 30,000-row CSV or XLSX export does not hold it too).
  let rendered: string | undefined;
  const htmlOf = () => (rendered ??= renderHtml(model));
  for (const f of opts.formats) {
    step(f);
    if (f === 'html') files.push({ name: `${base}.html`, format: 'html', bytes: utf8(htmlOf()) });
    if (f === 'csv') {
      files.push({ name: `${base}-log.csv`, format: 'csv', bytes: utf8(renderLogCsv(model, { bom: opts.bom })) });
      files.push({ name: `${base}-summary.csv`, format: 'csv', bytes: utf8(renderSummaryCsv(model, { bom: opts.bom })) });
    }
    if (f === 'xlsx') files.push({ name: `${base}.xlsx`, format: 'xlsx', bytes: await renderXlsx(model) });
    if (f === 'docx') files.push({ name: `${base}.docx`, format: 'docx', bytes: await renderDocx(model) });
    if (f === 'pdf') {
      if (!opts.pdf) throw new AppError('INVALID_INPUT', 'no PDF printer is available here', [{ path: ['formats'], message: 'pdf is not available' }]);
      files.push({ name: `${base}.pdf`, format: 'pdf', bytes: await opts.pdf.print(forPrinting(htmlOf()), exhibitPdfOptions(model)) });
    }
  }
  if (model.profile === 'public' && opts.includeKey) {
    step('sealed key');
    // The key lists exactly the codes the public files show (the log CSV has the same cells as the HTML).
    const key = buildReferenceList(input, model, [htmlOf(), renderLogCsv(model, { bom: false })]);
    const keyHtml = renderReferenceHtml(key);
    // Never beside the public files: in a folder of its own whose name, like each file's, says sealed.
    const sealed = `${SEALED_FOLDER}/${sealedKeyBaseName(model)}`;
    files.push({ name: `${sealed}.html`, format: 'key-html', bytes: utf8(keyHtml) });
    files.push({ name: `${sealed}.csv`, format: 'key-csv', bytes: utf8(renderReferenceCsv(key, opts.bom)) });
    if (opts.formats.includes('pdf') && opts.pdf) {
      files.push({ name: `${sealed}.pdf`, format: 'key-pdf', bytes: await opts.pdf.print(forPrinting(keyHtml), exhibitPdfOptions(model)) });
    }
  }
  return files;
}

/** A base name that collides with no file already in the folder: earlier exports are never overwritten. */
function freeNames(folder: string, files: RenderedFile[], manifestName: string): { files: RenderedFile[]; manifestName: string } {
  for (let n = 1; n < 1000; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const rename = (name: string) => name.replace(/(\.[a-z]+)$/, `${suffix}$1`);
    const names = [...files.map((f) => rename(f.name)), rename(manifestName)];
    if (names.every((x) => !existsSync(join(folder, x)))) return { files: files.map((f) => ({ ...f, name: rename(f.name) })), manifestName: rename(manifestName) };
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
 * The reading part of an export: the records, the model and every file in memory. It writes
 * nothing, so it can run on a read-only connection and be stopped at any point.
 */
export async function buildExport(db: Db, req: BuildRequest, pdf: PdfPrinter | null, onStep?: (step: string) => void): Promise<BuiltExport> {
  const step = onStep ?? (() => undefined);
  const found = resolveDefinition(db, req.ref);
  const definition = req.profile ? { ...found.definition, profile: req.profile } : found.definition;
  const resolved = { ...found, definition };
  step('reading records');
  const input = buildInput(db, resolved, req.generatedAt, req.appVersion);
  // A public exhibit is checked against its redaction review before anything is written; the
  // manifest then lists the choices made and what was left unreviewed.
  const review = definition.profile === 'public' ? reviewReport(db, input) : null;
  if (review && req.strict && review.counts.unreviewed > 0) {
    const n = review.counts.unreviewed;
    throw new AppError('INVALID_INPUT', `review: ${n} suspicious ${n === 1 ? 'span has' : 'spans have'} no review choice yet (accept or redact each); nothing was written`, [
      { path: ['review'], message: `${n} unreviewed` },
    ]);
  }
  const built = buildReportModel(input);
  // Records with open conflicts: refused (nothing written) unless the caller chose to note them.
  const wanted = new Set([...built.recordIds.incidents, ...built.recordIds.people, ...built.recordIds.facilities, ...built.recordIds.interviews]);
  const conflicts = openConflictsIn(db, (ids) => new Set([...ids].filter((x) => wanted.has(x))));
  conflictGate(conflicts, req.conflicts);
  const model = conflicts.length ? { ...built, methodNote: [...built.methodNote, conflictNote(conflicts)] } : built;
  const files = await renderExportFiles(input, model, { formats: req.formats, bom: req.bom, includeKey: req.includeKey, pdf, onStep: step });
  // The definition as the exhibit shows it: a public manifest must not hold the names its texts had
  // (the review's choices included: their spans went through the redactor with the rest).
  const shown = model.definition;
  const manifest = { ...buildManifest(model, shown, [], review ? { counts: review.counts, decisions: shown.review ?? [] } : null), records: recordPins(db, model.recordIds), ...(conflicts.length ? { openConflicts: conflicts.map(({ entity, id, heads, kind }) => ({ entity, id, heads, ...(kind === 'code' ? { kind } : {}) })) } : {}) };
  return { resolved, baseName: exportBaseName(model), manifest, files };
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
  const { files, manifestName } = freeNames(folder, built.files, `${built.baseName}-manifest.json`);
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
