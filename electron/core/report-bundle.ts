// A filing bundle: Exhibit A (the status-report tables, as the exhibit PDF prints them) and
// Exhibit B (declarations or other documents, B-1…B-n), each behind its slip sheet, combined into
// one PDF behind an index, with a Bates number on every page. pdf-lib combines and stamps; the
// index, slip sheets and stamps are printed by the same Chromium as the exhibit (fonts embedded).
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { sha256 } from '../../db/history/audit';
import type { Db } from '../../db/driver';
import { batesOfPage, batesStampHtml, bundleIndexHtml, layOut, slipSheetHtml, type BundlePart } from '../../shared/report/bundle';
import { DEFAULT_BATES, type BatesSettings } from '../../shared/report/definition';
import { exhibitPdfOptions } from '../../shared/report/pdf-options';
import { AppError } from '../../shared/errors';
import type { PdfPrinter } from './report-host';
import { officeSettings, type BuiltExport } from './report-export';

export interface BundleDocument {
  path: string;
  title: string;
}

/** The largest document a bundle takes (court e-filing systems cap a PDF far below this). */
const MAX_DOCUMENT_BYTES = 200 * 1024 * 1024;

export function batesSettings(db: Db): BatesSettings {
  return officeSettings(db).bates ?? DEFAULT_BATES;
}

/** Reads and parses each document before anything is printed, naming the one that is not a PDF. */
export async function loadDocuments(docs: readonly BundleDocument[]): Promise<{ doc: PDFDocument; bytes: Uint8Array; title: string; name: string }[]> {
  const out = [];
  for (const [i, d] of docs.entries()) {
    const issue = (message: string) => new AppError('INVALID_INPUT', `documents.${i}.path: ${message}`, [{ path: ['documents', i, 'path'], message }]);
    let bytes: Uint8Array;
    try {
      if (statSync(d.path).size > MAX_DOCUMENT_BYTES) throw issue(`${d.path} is larger than 200 MB`);
      bytes = new Uint8Array(readFileSync(d.path));
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw issue(`cannot read ${d.path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    let doc: PDFDocument;
    try {
      doc = await PDFDocument.load(bytes, { updateMetadata: false });
    } catch {
      throw issue(`${d.path} is not a PDF this bundle can read`);
    }
    if (doc.isEncrypted) throw issue(`${d.path} is encrypted; save an unencrypted copy to file it`);
    if (doc.getPageCount() === 0) throw issue(`${d.path} has no pages`);
    out.push({ doc, bytes, title: d.title, name: basename(d.path) });
  }
  return out;
}

async function printPdf(printer: PdfPrinter, html: string): Promise<PDFDocument> {
  return PDFDocument.load(await printer.print(html, exhibitPdfOptions()));
}

/**
 * The bundle built from an exhibit export (its PDF among `exhibit.files`) and the documents: a new
 * BuiltExport whose files are the bundle PDF and the exhibit's sealed key, if it has one.
 */
export async function buildBundle(
  exhibit: BuiltExport,
  documents: readonly BundleDocument[],
  bates: BatesSettings,
  printer: PdfPrinter,
  onStep: (step: string) => void = () => undefined,
): Promise<BuiltExport & { parts: BundlePart[]; pages: number }> {
  const exhibitPdf = exhibit.files.find((f) => f.format === 'pdf');
  if (!exhibitPdf) throw new AppError('INVALID_INPUT', 'the exhibit was built without its PDF', [{ path: ['formats'], message: 'pdf is required' }]);
  const docs = await loadDocuments(documents);
  onStep('slip sheets');
  const m = exhibit.manifest;
  const a = await PDFDocument.load(exhibitPdf.bytes);
  // Exhibit B's letter: the one after the exhibit's own ("Exhibit A" → "Exhibit B").
  const bLabel = nextLabel(m.exhibitLabel);
  const pieces: { label: string; title: string; kind: BundlePart['kind']; doc: PDFDocument; source?: BundlePart['source'] }[] = [{ label: m.exhibitLabel, title: m.title, kind: 'exhibit', doc: a }];
  if (docs.length) {
    const subLabels = docs.map((_, i) => `${bLabel}-${i + 1}`);
    const bTitle = docs.length === 1 ? 'Declaration and documents' : 'Declarations and documents';
    pieces.push({ label: bLabel, title: bTitle, kind: 'slip', doc: await printPdf(printer, slipSheetHtml(bLabel, bTitle, docs.map((d, i) => `${subLabels[i]}: ${d.title}`))) });
    for (const [i, d] of docs.entries()) {
      const slip = await printPdf(printer, slipSheetHtml(subLabels[i]!, d.title));
      // The sub-exhibit: its slip sheet, then the document's pages.
      const both = await PDFDocument.create();
      for (const p of await both.copyPages(slip, slip.getPageIndices())) both.addPage(p);
      for (const p of await both.copyPages(d.doc, d.doc.getPageIndices())) both.addPage(p);
      pieces.push({ label: subLabels[i]!, title: d.title, kind: 'document', doc: both, source: { name: d.name, sha256: sha256(d.bytes) } });
    }
  }
  onStep('index');
  // The index comes first; its own length moves every range, so it is laid out until it holds still.
  const counts = pieces.map((p) => ({ label: p.label, title: p.title, kind: p.kind, pages: p.doc.getPageCount(), ...(p.source ? { source: p.source } : {}) }));
  const title = `Filing bundle: ${m.title}`;
  let indexPages = 1;
  let index: PDFDocument;
  let parts: BundlePart[];
  for (;;) {
    parts = layOut(bates, indexPages, counts);
    index = await printPdf(printer, bundleIndexHtml(m.definition.caption, title, parts));
    if (index.getPageCount() === indexPages) break;
    indexPages = index.getPageCount();
  }
  onStep('combining');
  const out = await PDFDocument.create();
  out.setTitle(`${title} (${m.exhibitLabel}${docs.length ? ` and ${bLabel}` : ''})`);
  out.setCreator(`Attest ${m.appVersion}`);
  out.setProducer(`Attest ${m.appVersion}`);
  out.setCreationDate(new Date(m.generatedAt));
  out.setModificationDate(new Date(m.generatedAt));
  for (const src of [index, ...pieces.map((p) => p.doc)]) {
    for (const p of await out.copyPages(src, src.getPageIndices())) out.addPage(p);
  }
  onStep('Bates numbers');
  const pages = out.getPages();
  const stamps = await PDFDocument.load(
    await printer.print(batesStampHtml(pages.map((p, i) => ({ width: p.getWidth(), height: p.getHeight(), text: batesOfPage(bates, i + 1) }))), { ...exhibitPdfOptions(), printBackground: true }),
  );
  if (stamps.getPageCount() !== pages.length) throw new Error(`Bates stamps: printed ${stamps.getPageCount()} pages for ${pages.length}`);
  const embedded = await out.embedPages(stamps.getPages());
  pages.forEach((p, i) => p.drawPage(embedded[i]!, { x: 0, y: 0 }));
  const bytes = await out.save({ useObjectStreams: true });
  const name = `${exhibit.baseName.replace(/-(public|sealed|internal)-/, '-bundle-$1-')}.pdf`;
  const files = [{ name, format: 'bundle-pdf', bytes }, ...exhibit.files.filter((f) => f.format.startsWith('key-'))];
  const manifest = {
    ...m,
    bundle: { title, pages: pages.length, bates: { ...bates, first: batesOfPage(bates, 1), last: batesOfPage(bates, pages.length) }, index: { pages: [1, indexPages] as [number, number] }, parts },
  };
  return { resolved: exhibit.resolved, baseName: name.replace(/\.pdf$/, ''), manifest, files, parts, pages: pages.length };
}

/** "Exhibit A" → "Exhibit B"; a label not ending in a letter gets " B". */
export function nextLabel(label: string): string {
  const m = /^(.*?)([A-Y])$/i.exec(label.trim());
  if (!m) return `${label.trim()} B`;
  return `${m[1]}${String.fromCharCode(m[2]!.charCodeAt(0) + 1)}`;
}
