import type { BatesSettings, Caption } from './definition';
import { esc } from './html';

// A filing bundle: several exhibits in order, each behind its slip sheet, one PDF with an index in
// front and a Bates number stamped on every page. This file is the pure part: the numbers, the
// ranges and the HTML of the index, the slip sheets and the stamps (Chromium prints them, so their
// fonts are embedded like the exhibit's); electron/core/report-bundle.ts combines the PDFs.

/** One exhibit of a bundle as the index lists it. */
export interface BundlePart {
  /** "Exhibit A", "Exhibit B", "Exhibit B-1". */
  label: string;
  title: string;
  /** 'exhibit': the status-report tables; 'slip': a group's slip sheet; 'document': a filed document. */
  kind: 'exhibit' | 'slip' | 'document';
  /** Pages in the bundle, 1-based, inclusive. */
  pages: [number, number];
  /** Bates numbers of its first and last page. */
  bates: [string, string];
  /** A document's source file and its SHA-256 (documents only). */
  source?: { name: string; sha256: string };
}

export function batesNumber(b: BatesSettings, n: number): string {
  return `${b.prefix}${String(n).padStart(b.digits, '0')}`;
}

/** The Bates number of the bundle's page `page` (1-based). */
export function batesOfPage(b: BatesSettings, page: number): string {
  return batesNumber(b, b.start + page - 1);
}

/** Bundle parts laid end to end after `before` pages (the index): their pages and Bates ranges. */
export function layOut(b: BatesSettings, before: number, parts: { label: string; title: string; kind: BundlePart['kind']; pages: number; source?: BundlePart['source'] }[]): BundlePart[] {
  let at = before;
  return parts.map((p) => {
    const first = at + 1;
    at += p.pages;
    return { label: p.label, title: p.title, kind: p.kind, pages: [first, at], bates: [batesOfPage(b, first), batesOfPage(b, at)], ...(p.source ? { source: p.source } : {}) };
  });
}

const FONT = `"Liberation Serif", "Times New Roman", "Noto Naskh Arabic", serif`;

const BASE_CSS = `@page { size: letter portrait; margin: 1in; }
html { font-family: ${FONT}; font-size: 14pt; line-height: 1.25; color: #000; background: #fff; }
* { font-size: 14pt; }
body { margin: 0; }
h1, h2 { text-align: center; font-weight: bold; }
p { margin: 0 0 0.6em 0; }`;

function page(title: string, css: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${BASE_CSS}
${css}</style></head><body>
${body}
</body></html>
`;
}

/** A slip sheet: the exhibit's label large, its title, and (for a group) what it holds. */
export function slipSheetHtml(label: string, title: string, holds: string[] = []): string {
  return page(
    label,
    `.slip { text-align: center; padding-top: 3in; } .label, .label * { font-size: 28pt; font-weight: bold; letter-spacing: 0.05em; } ul { list-style: none; padding: 0; }`,
    `<div class="slip"><p class="label">${esc(label.toUpperCase())}</p><p>${esc(title)}</p>${holds.length ? `<ul>${holds.map((h) => `<li>${esc(h)}</li>`).join('')}</ul>` : ''}</div>`,
  );
}

/** The bundle's index: the case, then each exhibit with its pages and Bates range. */
export function bundleIndexHtml(caption: Caption, title: string, parts: BundlePart[]): string {
  const rows = parts
    .map((p) => `<tr class="${p.kind}"><td>${esc(p.label)}</td><td>${esc(p.title)}</td><td class="n">${p.pages[0] === p.pages[1] ? p.pages[0] : `${p.pages[0]}\u2013${p.pages[1]}`}</td><td class="b">${p.bates[0] === p.bates[1] ? esc(p.bates[0]) : `${esc(p.bates[0])} \u2013<br>${esc(p.bates[1])}`}</td></tr>`)
    .join('\n');
  return page(
    `Index of exhibits \u2014 ${title}`,
    `table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
thead { display: table-header-group; } tr { break-inside: avoid; }
th { background: #e8e8e8; } td.n, td:first-child { white-space: nowrap; } td.b { overflow-wrap: normal; }
tr.slip td, tr.exhibit td { font-weight: bold; } tr.document td:first-child { padding-left: 1.2em; }
.head { text-align: center; font-weight: bold; } .head p { margin: 0; }`,
    `<div class="head"><p>${esc(caption.court)}</p>${caption.division ? `<p>${esc(caption.division)}</p>` : ''}</div>
<p style="text-align:center;margin-top:0.6em">${esc(caption.caseName.replace(/[\s,;]+$/, ''))}, ${esc(caption.caseNumber)}</p>
<h2>Index of exhibits</h2>
<p style="text-align:center">${esc(title)}</p>
<table><colgroup><col style="width:21%"><col style="width:36%"><col style="width:12%"><col style="width:31%"></colgroup>
<thead><tr><th>Exhibit</th><th>Description</th><th>Pages</th><th>Bates</th></tr></thead>
<tbody>
${rows}
</tbody></table>`,
  );
}

/**
 * One transparent page per bundle page, each the size of that page, with only its Bates number in
 * the bottom right corner: 0.5 inch from the right edge and 0.3 inch from the bottom, below and
 * to the right of the exhibit's centred footer ("Exhibit A — page N of M"), so the two never meet.
 */
export function batesStampHtml(pages: { width: number; height: number; text: string }[]): string {
  const sizes = [...new Set(pages.map((p) => `${p.width.toFixed(2)}x${p.height.toFixed(2)}`))];
  const named = sizes.map((s, i) => {
    const [w, h] = s.split('x');
    return `@page s${i} { size: ${w}pt ${h}pt; margin: 0; }\n.s${i} { page: s${i}; width: ${w}pt; height: ${h}pt; }`;
  });
  const body = pages
    .map((p) => `<div class="p s${sizes.indexOf(`${p.width.toFixed(2)}x${p.height.toFixed(2)}`)}"><span class="bates">${esc(p.text)}</span></div>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Bates</title><style>
html, body { margin: 0; padding: 0; background: transparent; }
${named.join('\n')}
.p { position: relative; overflow: hidden; break-after: page; }
.p:last-child { break-after: auto; }
.bates { position: absolute; right: 0.5in; bottom: 0.3in; font: bold 14pt ${FONT}; line-height: 1; white-space: nowrap; }
</style></head><body>
${body}
</body></html>
`;
}
