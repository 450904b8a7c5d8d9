import { captionRightLines } from './caption';
import { displayColumns } from './columns';
import { CATEGORIES, CATEGORY_CODES, type CategoryCode } from '../vocab';
import { longDate, SHORT_LABELS, type ReportModel, type SummaryCategory, type SummaryCell } from './model';

// The exhibit as one HTML document with print CSS. It is what the preview shows and what Chromium
// prints to PDF. Pure and deterministic: the same model gives the same bytes.

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Text that may mix scripts: the browser picks its direction from its first strong letter. */
function auto(s: string): string {
  return `<bdi>${esc(s)}</bdi>`;
}

export function footerText(model: ReportModel, page: string, pages: string): string {
  return `${model.exhibitLabel} \u2014 page ${page} of ${pages}`;
}

/** Four category columns per summary table keep 14-point type inside a portrait page (facilities by short name). */
export const SUMMARY_CHUNK = 4;

const FONT = `"Liberation Serif", "Times New Roman", "Noto Naskh Arabic", "Noto Sans Arabic", serif`;

function css(model: ReportModel): string {
  const label = model.exhibitLabel.replace(/["\\]/g, '\\$&');
  return `
@page { size: letter portrait; margin: 1in;
  @bottom-center { content: "${label} \\2014" " page " counter(page) " of " counter(pages); font: 14pt ${FONT}; } }
@page log { size: letter landscape; margin: 1in; }
html { font-family: ${FONT}; font-size: 14pt; line-height: 1.25; color: #000; background: #fff; }
body { margin: 0; }
* { font-size: 14pt; }
section { break-before: page; }
section:first-of-type { break-before: auto; }
.log { page: log; }
h1, h2, h3, p { margin: 0 0 0.6em 0; }
h2, h3 { break-after: avoid; }
h3 { margin-top: 1em; }
td.c-rowId, td.c-date, td.c-person, td.c-aNumber, td.c-birth, td.c-facility, td.c-categories { overflow-wrap: normal; hyphens: manual; }
td.c-rowId, td.c-date { white-space: nowrap; }
td.c-source { overflow-wrap: normal; }
td.c-facility p + p { white-space: nowrap; }
table.log-table th, table.log-table td { line-height: 1.1; padding: 0.5pt 3pt; }
.keep { break-inside: avoid; }
h1, h2 { font-weight: bold; text-align: center; }
.slip { text-align: center; padding-top: 3in; }
.slip .label { font-size: 28pt; font-weight: bold; letter-spacing: 0.05em; }
.slip .label * { font-size: 28pt; }
.caption-head { text-align: center; font-weight: bold; margin-bottom: 1em; }
.caption-head p { margin: 0; }
.caption { width: 100%; border-collapse: collapse; margin-bottom: 1.2em; }
.caption td { vertical-align: top; padding: 0.2em 0.4em; }
.caption .parties { width: 55%; border-right: 1px solid #000; border-bottom: 1px solid #000; }
.caption .number p { margin: 0 0 0.4em 0; }
table.data { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.data th, table.data td { border: 1px solid #000; padding: 2pt 3pt; vertical-align: top; overflow-wrap: anywhere; hyphens: auto; }
table.data thead { display: table-header-group; }
table.data th { font-weight: bold; text-align: left; background: #e8e8e8; }
table.data tr { break-inside: avoid; }
table.data.summary th { overflow-wrap: normal; hyphens: manual; }
table.data td.n, table.data th.n { text-align: right; }
table.data tfoot td { font-weight: bold; }
table.data tfoot { display: table-row-group; }
.cell p { margin: 0; }
.legend dt { font-weight: bold; float: left; clear: left; width: 8em; }
.legend dd { margin: 0 0 0.2em 8.5em; }
.legend::after { content: ""; display: block; clear: both; }
.note p { text-align: justify; }
.signature { margin-top: 2em; margin-left: 50%; break-inside: avoid; }
.signature p { margin: 0; }
.muted { font-style: italic; }
@media screen { body { margin: 0.5in; } section { border-bottom: 2px dashed #888; padding-bottom: 1em; margin-bottom: 1em; } }
`;
}

function captionHtml(m: ReportModel): string {
  const c = m.caption;
  const parties = [c.caseName, ...c.parties].map((p) => `<p>${auto(p)}</p>`).join('');
  const right = captionRightLines(c).map((l) => `<p>${esc(l)}</p>`).join('');
  return `<div class="caption-head"><p>${esc(c.court)}</p>${c.division ? `<p>${esc(c.division)}</p>` : ''}</div>
<table class="caption" role="presentation"><tr><td class="parties">${parties}</td><td class="number">${right}</td></tr></table>`;
}

function cellHtml(cell: SummaryCell): string {
  return `<td class="n" data-incidents="${esc(cell.incidentIds.join(' '))}" title="${esc(cell.rowIds.join(', '))}">${cell.count}</td>`;
}

function summaryTable(m: ReportModel, cats: SummaryCategory[], offset: number, part: number, parts: number): string {
  const head = `<tr><th style="width:20%">Facility</th>${cats.map((c) => `<th class="n">${esc(c.short)}</th>`).join('')}<th class="n" style="width:14%">All incidents</th></tr>`;
  const body = m.summary.rows
    .map((r) => {
      const cells = cats.map((_, i) => cellHtml(r.cells[offset + i]!)).join('');
      return `<tr><td>${esc(r.short)}</td>${cells}${cellHtml(r.total)}</tr>`;
    })
    .join('\n');
  const foot = `<tr><td>All facilities</td>${cats.map((_, i) => cellHtml(m.summary.totals[offset + i]!)).join('')}${cellHtml(m.summary.grandTotal)}</tr>`;
  const caption = parts > 1 ? ` (part ${part} of ${parts})` : '';
  return `<div class="keep"><h3>Table 1. Reported incidents by facility and category${caption}</h3>
<table class="data summary"><thead>${head}</thead><tbody>${body}</tbody><tfoot>${foot}</tfoot></table></div>`;
}

function summaryHtml(m: ReportModel): string {
  const cats = m.summary.categories;
  if (!m.summary.rows.length) return '<h3>Table 1. Reported incidents by facility and category</h3><p>No incident falls within this report.</p>';
  const chunks: string[] = [];
  const parts = Math.max(1, Math.ceil(cats.length / SUMMARY_CHUNK));
  for (let i = 0; i < parts; i++) {
    const slice = cats.slice(i * SUMMARY_CHUNK, (i + 1) * SUMMARY_CHUNK);
    chunks.push(summaryTable(m, slice, i * SUMMARY_CHUNK, i + 1, parts));
  }
  return `${chunks.join('\n')}
<p>Total incidents: ${m.summary.grandTotal.count}. An incident reported in several categories appears in each of them.</p>
${legendsHtml(m)}`;
}

/** Every category the tables show (Table 1's columns and the log's rows), in vocabulary order. */
export function legendCategories(m: ReportModel): SummaryCategory[] {
  const seen = new Set<CategoryCode>(m.summary.categories.map((c) => c.code));
  for (const r of m.log.rows) for (const c of r.categoryCodes) seen.add(c);
  return CATEGORY_CODES.filter((c) => seen.has(c)).map((c) => ({ code: c, label: CATEGORIES[c].label, short: SHORT_LABELS[c], standard: CATEGORIES[c].standard }));
}

/** The facility legend (short name, full name and place, once) and the category legend. */
function legendsHtml(m: ReportModel): string {
  const facilities = m.facilities.map((f) => `<dt>${esc(f.short)}</dt><dd>${esc(f.name)}, ${esc(f.place)}</dd>`).join('');
  const cats = legendCategories(m).map((c) => `<dt>${esc(c.short)}</dt><dd>${esc(c.label)}${c.standard ? ` \u2014 ${esc(c.standard)}` : ''}</dd>`).join('');
  return `<div class="keep"><h3>Facilities</h3><dl class="legend facilities">${facilities}</dl></div>
<div class="keep"><h3>Categories</h3><dl class="legend categories">${cats}</dl></div>`;
}

/** Relative widths of the log columns on a landscape page. */
export const LOG_WIDTH: Record<string, number> = {
  rowId: 0.75, person: 1.3, aNumber: 1.1, birth: 0.8, facility: 1.08, date: 1.04, categories: 1.28, standard: 1.3, summary: 3.2, ownWords: 2.0, circumstances: 1.67, source: 1.02,
};
const WIDTH = LOG_WIDTH;

function logHtml(m: ReportModel): string {
  const cols = displayColumns(m);
  const total = cols.reduce((s, c) => s + (WIDTH[c.key] ?? 1), 0);
  const colgroup = cols.map((c) => `<col style="width:${(((WIDTH[c.key] ?? 1) / total) * 100).toFixed(2)}%">`).join('');
  const head = `<tr>${cols.map((c) => `<th>${esc(c.label)}</th>`).join('')}</tr>`;
  const body = m.log.rows
    .map(
      (r) =>
        `<tr id="${esc(r.rowId)}" data-incident="${esc(r.incidentId)}">${cols
          .map((c) => `<td class="cell c-${c.key}">${c.lines(r).map((l) => `<p dir="auto">${esc(l)}</p>`).join('')}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return `<h3>Table 2. Incident log</h3>
${m.log.rows.length ? `<table class="data log-table"><colgroup>${colgroup}</colgroup><thead>${head}</thead><tbody>\n${body}\n</tbody></table>` : '<p>No incident falls within this report.</p>'}`;
}

function signatureHtml(m: ReportModel): string {
  const s = m.signature;
  if (!s.attorney) return '';
  const lines = [
    `Dated: ${esc(s.dated)}`,
    'Respectfully submitted,',
    `/s/ ${esc(s.attorney)}`,
    `${esc(s.attorney)}${s.barNumber ? ` (${esc(s.barNumber)})` : ''}`,
    s.role ? esc(s.role) : '',
    s.firm ? esc(s.firm) : '',
    ...s.address.map(esc),
    s.email ? esc(s.email) : '',
    s.phone ? esc(s.phone) : '',
  ].filter(Boolean);
  return `<div class="signature">${lines.map((l) => `<p>${l}</p>`).join('')}</div>`;
}

const PROFILE_LINE = { public: 'Public docket version (redacted)', sealed: 'FILED UNDER SEAL \u2014 unredacted', internal: 'Internal working copy \u2014 not for filing' } as const;

export function renderHtml(m: ReportModel): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="generator" content="Attest ${esc(m.appVersion)}">
<title>${esc(m.exhibitLabel)} \u2014 ${esc(m.title)}</title>
<style>${css(m)}</style></head>
<body>
<section class="slip"><p class="label">${esc(m.exhibitLabel.toUpperCase())}</p><p>${esc(m.title)}</p><p>${esc(m.periodLabel)}</p><p class="muted">${esc(PROFILE_LINE[m.profile])}</p></section>
<section class="front">${captionHtml(m)}
<h2>${esc(m.exhibitLabel)}: ${esc(m.title)}</h2>
<p style="text-align:center">Reporting period: ${esc(m.periodLabel)}</p>
${summaryHtml(m)}
</section>
<section class="note"><h3>Method</h3>${m.methodNote.map((p) => `<p>${auto(p)}</p>`).join('\n')}
<p class="muted">Generated by Attest ${esc(m.appVersion)} on ${esc(longDate(m.generatedAt))} (${esc(m.generatedAt)}).</p></section>
<section class="log">${logHtml(m)}
${signatureHtml(m)}</section>
</body></html>
`;
}
