// Builds an exhibit from the database and writes it: every requested format, the sealed key for a
// public export, and a manifest with the SHA-256 of each file; then logs the export.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadReportSource } from '../../db/repo/report-source';
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
import { buildReferenceList, buildReportModel, type BuildInput, type ReportModel } from '../../shared/report/model';
import { exhibitPdfOptions, forPrinting } from '../../shared/report/pdf-options';
import { renderReferenceCsv, renderReferenceHtml } from '../../shared/report/reference';
import { renderXlsx } from '../../shared/report/xlsx';
import type { ExportFormat } from '../../shared/report/channels';
import { AppError } from '../../shared/errors';
import type { PdfPrinter } from './report-host';
import { reviewReport } from './report-review';


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
  const html = renderHtml(model);
  for (const f of opts.formats) {
    step(f);
    if (f === 'html') files.push({ name: `${base}.html`, format: 'html', bytes: utf8(html) });
    if (f === 'csv') {
      files.push({ name: `${base}-log.csv`, format: 'csv', bytes: utf8(renderLogCsv(model, { bom: opts.bom })) });
      files.push({ name: `${base}-summary.csv`, format: 'csv', bytes: utf8(renderSummaryCsv(model, { bom: opts.bom })) });
    }
    if (f === 'xlsx') files.push({ name: `${base}.xlsx`, format: 'xlsx', bytes: await renderXlsx(model) });
    if (f === 'docx') files.push({ name: `${base}.docx`, format: 'docx', bytes: await renderDocx(model) });
    if (f === 'pdf') {
      if (!opts.pdf) throw new AppError('INVALID_INPUT', 'no PDF printer is available here', [{ path: ['formats'], message: 'pdf is not available' }]);
      files.push({ name: `${base}.pdf`, format: 'pdf', bytes: await opts.pdf.print(forPrinting(html), exhibitPdfOptions(model)) });
    }
  }
  if (model.profile === 'public' && opts.includeKey) {
    step('sealed key');
    // The key lists exactly the codes the public files show (the log CSV has the same cells as the HTML).
    const key = buildReferenceList(input, model, [html, renderLogCsv(model, { bom: false })]);
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
  generatedAt: string;
  generatedBy: string | null;
  appVersion: string;
  pdf: PdfPrinter | null;
  onStep?: (step: string, done: number, total: number) => void;
}

/** What building an exhibit needs: plain data, so a reader thread can be handed it. */
export type BuildRequest = Pick<ExportRequest, 'ref' | 'profile' | 'formats' | 'bom' | 'includeKey' | 'strict' | 'generatedAt' | 'appVersion'>;

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
  const model = buildReportModel(input);
  const files = await renderExportFiles(input, model, { formats: req.formats, bom: req.bom, includeKey: req.includeKey, pdf, onStep: step });
  // The definition as the exhibit shows it: a public manifest must not hold the names its texts had
  // (the review's choices included: their spans went through the redactor with the rest).
  const shown = model.definition;
  const manifest = { ...buildManifest(model, shown, [], review ? { counts: review.counts, decisions: shown.review ?? [] } : null), records: recordPins(db, model.recordIds) };
  return { resolved, baseName: exportBaseName(model), manifest, files };
}

/**
 * Each record behind the exhibit at its latest version in the history, with that version's content
 * hash: what the manifest pins.
 */
export function recordPins(db: Db, ids: ReportModel['recordIds']): NonNullable<ExportManifest['records']> {
  const wanted = new Set([...ids.incidents, ...ids.people, ...ids.facilities, ...ids.interviews]);
  const rows = db
    .prepare(`SELECT entity, id, MAX(version) AS version, content_hash AS contentHash FROM audit_log GROUP BY entity, id ORDER BY entity, id`)
    .all() as { entity: string; id: string; version: number; contentHash: string }[];
  return rows.filter((r) => wanted.has(r.id));
}

export function checkExportFolder(folder: string): void {
  if (existsSync(folder) && !statSync(folder).isDirectory()) {
    throw new AppError('INVALID_INPUT', `folder: ${folder} is a file, not a folder`, [{ path: ['folder'], message: 'is a file' }]);
  }
}

/**
 * The writing part: the files and the manifest staged in a hidden folder and fsynced, the export
 * logged, then the files moved into place, the manifest last.
 */
export function saveExport(db: Db, req: Pick<ExportRequest, 'folder' | 'generatedBy'>, built: BuiltExport): { export: ExportRecord; manifestPath: string } {
  const { resolved: r, files: rendered } = built;
  // A folder made for the export is owner-only, as every file in it (0700 / 0600).
  mkdirSync(req.folder, { recursive: true, mode: 0o700 });
  recoverExportLeftovers(db, req.folder);
  const { files, manifestName } = freeNames(req.folder, rendered, `${built.baseName}-manifest.json`);
  const listed: ManifestFile[] = files.map((f) => ({ name: f.name, format: f.format, bytes: f.bytes.byteLength, sha256: sha256(f.bytes) }));
  // The history's tip as this connection sees it just before the export is logged.
  const manifest: ExportManifest = { ...built.manifest, files: listed, history: headTip(db) };
  const manifestBytes = utf8(JSON.stringify(manifest, null, 2) + '\n');
  // Every file goes to a hidden staging folder first, fsynced; the export is logged; only then are
  // the files moved into place, the manifest last. Killed before the log: nothing visible, and the
  // next export removes the staging folder. Killed after: the next export finishes the moves.
  const id = newId();
  const staging = join(req.folder, stagingName(id));
  mkdirSync(staging, { mode: 0o700 });
  let record: ExportRecord;
  try {
    for (const f of files) {
      if (f.name.includes('/')) mkdirSync(dirname(join(staging, f.name)), { recursive: true, mode: 0o700 });
      writeNewFileSynced(join(staging, f.name), f.bytes, 0o600);
    }
    writeNewFileSynced(join(staging, manifestName), manifestBytes, 0o600);
    fsyncDir(staging);
    fsyncDir(req.folder);
    record = db.transaction(() =>
      logExport(db, {
        id,
        folder: req.folder,
        generatedBy: req.generatedBy,
        definitionVersion: r.definitionVersion,
        manifest: { ...manifest, files: [...listed, { name: manifestName, format: 'manifest', bytes: manifestBytes.byteLength, sha256: sha256(manifestBytes) }] },
      }),
    ).immediate();
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  finishStaged(req.folder, staging);
  const manifestPath = join(req.folder, manifestName);
  return { export: record, manifestPath };
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
