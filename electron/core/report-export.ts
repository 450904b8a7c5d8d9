// Builds an exhibit from the database and writes it: every requested format, the sealed key for a
// public export, and a manifest with the SHA-256 of each file; then logs the export.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadReportSource } from '../../db/repo/report-source';
import { getDefinition, getOfficeSettings, logExport, type ExportRecord } from '../../db/repo/reports';
import type { Db } from '../../db/driver';
import { renderLogCsv, renderSummaryCsv } from '../../shared/report/csv';
import { OfficeSettings, type RedactionProfile, type ReportDefinition } from '../../shared/report/definition';
import { renderDocx } from '../../shared/report/docx';
import { renderHtml } from '../../shared/report/html';
import { buildManifest, exportBaseName, type ExportManifest, type ManifestFile } from '../../shared/report/manifest';
import { buildReferenceList, buildReportModel, type BuildInput, type ReportModel } from '../../shared/report/model';
import { exhibitPdfOptions, forPrinting } from '../../shared/report/pdf-options';
import { renderReferenceCsv, renderReferenceHtml } from '../../shared/report/reference';
import { renderXlsx } from '../../shared/report/xlsx';
import type { ExportFormat } from '../../shared/report/channels';
import { AppError } from '../../shared/errors';
import type { PdfPrinter } from './report-host';

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

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
    const key = buildReferenceList(input);
    const keyHtml = renderReferenceHtml(key);
    files.push({ name: `${base}-SEALED-key.html`, format: 'key-html', bytes: utf8(keyHtml) });
    files.push({ name: `${base}-SEALED-key.csv`, format: 'key-csv', bytes: utf8(renderReferenceCsv(key, opts.bom)) });
    if (opts.formats.includes('pdf') && opts.pdf) {
      files.push({ name: `${base}-SEALED-key.pdf`, format: 'key-pdf', bytes: await opts.pdf.print(forPrinting(keyHtml), exhibitPdfOptions(model)) });
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

function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.partial`;
  writeFileSync(tmp, bytes, { flag: 'wx' });
  renameSync(tmp, path);
}

export interface ExportRequest {
  ref: { definitionId?: string | undefined; definition?: ReportDefinition | undefined };
  profile?: RedactionProfile | undefined;
  formats: readonly ExportFormat[];
  folder: string;
  bom: boolean;
  includeKey: boolean;
  generatedAt: string;
  generatedBy: string | null;
  appVersion: string;
  pdf: PdfPrinter | null;
  onStep?: (step: string, done: number, total: number) => void;
}

/** What building an exhibit needs: plain data, so a reader thread can be handed it. */
export type BuildRequest = Pick<ExportRequest, 'ref' | 'profile' | 'formats' | 'bom' | 'includeKey' | 'generatedAt' | 'appVersion'>;

/** An exhibit built in memory. Not the model itself: a reader thread hands this to the core, and
 * copying a 2,000-row model between threads costs the receiving thread a tenth of a second. */
export interface BuiltExport {
  resolved: ResolvedDefinition;
  baseName: string;
  /** The manifest before the files are listed. */
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
  const model = buildReportModel(input);
  const files = await renderExportFiles(input, model, { formats: req.formats, bom: req.bom, includeKey: req.includeKey, pdf, onStep: step });
  return { resolved, baseName: exportBaseName(model), manifest: buildManifest(model, definition, []), files };
}

export function checkExportFolder(folder: string): void {
  if (existsSync(folder) && !statSync(folder).isDirectory()) {
    throw new AppError('INVALID_INPUT', `folder: ${folder} is a file, not a folder`, [{ path: ['folder'], message: 'is a file' }]);
  }
}

/** The writing part: the files (each whole or absent), the manifest, then the export log. */
export function saveExport(db: Db, req: Pick<ExportRequest, 'folder' | 'generatedBy'>, built: BuiltExport): { export: ExportRecord; manifestPath: string } {
  const { resolved: r, files: rendered } = built;
  mkdirSync(req.folder, { recursive: true });
  const { files, manifestName } = freeNames(req.folder, rendered, `${built.baseName}-manifest.json`);
  const listed: ManifestFile[] = files.map((f) => ({ name: f.name, format: f.format, bytes: f.bytes.byteLength, sha256: sha256(f.bytes) }));
  const manifest = { ...built.manifest, files: listed };
  const manifestBytes = utf8(JSON.stringify(manifest, null, 2) + '\n');
  for (const f of files) writeAtomically(join(req.folder, f.name), f.bytes);
  const manifestPath = join(req.folder, manifestName);
  writeAtomically(manifestPath, manifestBytes);
  const record = db.transaction(() =>
    logExport(db, {
      folder: req.folder,
      generatedBy: req.generatedBy,
      definitionVersion: r.definitionVersion,
      manifest: { ...manifest, files: [...listed, { name: manifestName, format: 'manifest', bytes: manifestBytes.byteLength, sha256: sha256(manifestBytes) }] },
    }),
  )();
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
