import { toCsv } from './csv';
import { esc } from './html';
import type { ReferenceEntry } from './model';
import type { Caption } from './definition';

// The sealed key: which person (or witness) each code in a public exhibit stands for. Filed under
// seal, separately from the exhibit, and never built from a public model.

export interface ReferenceList {
  exhibitLabel: string;
  caption: Caption;
  generatedAt: string;
  entries: ReferenceEntry[];
}

export function renderReferenceHtml(list: ReferenceList): string {
  const label = `${list.exhibitLabel} sealed key`.replace(/["\\]/g, '\\$&');
  const rows = list.entries
    .map(
      (e) =>
        `<tr><td>${esc(e.code)}</td><td>${esc(e.name)}</td><td dir="auto" lang="ar">${esc(e.nameOriginal)}</td><td>${esc(e.aNumber)}</td><td>${esc(e.birthDate)}</td><td>${esc(e.rowIds.join(', '))}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(list.exhibitLabel)} \u2014 sealed key to codes</title>
<style>
@page { size: letter landscape; margin: 1in;
  @bottom-center { content: "${label} \\2014" " page " counter(page) " of " counter(pages); font: 14pt "Liberation Serif", "Times New Roman", serif; } }
html { font-family: "Liberation Serif", "Times New Roman", "Noto Naskh Arabic", serif; font-size: 14pt; }
* { font-size: 14pt; }
h2 { text-align: center; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
th, td { border: 1px solid #000; padding: 2pt 3pt; text-align: left; vertical-align: top; }
tr { break-inside: avoid; }
</style></head><body>
<h2>FILED UNDER SEAL</h2>
<p style="text-align:center">${esc(list.caption.caseName)}, ${esc(list.caption.caseNumber)}</p>
<p style="text-align:center">Key to the codes used in ${esc(list.exhibitLabel)} (generated ${esc(list.generatedAt)})</p>
<table><thead><tr><th>Code</th><th>Name</th><th>Original script</th><th>A-number</th><th>Birth date</th><th>Rows</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}

export function renderReferenceCsv(list: ReferenceList, bom = false): string {
  const rows = [['Code', 'Name', 'Original script', 'A-number', 'Birth date', 'Rows'], ...list.entries.map((e) => [e.code, e.name, e.nameOriginal, e.aNumber, e.birthDate, e.rowIds.join(' ')])];
  return toCsv(rows, { bom });
}
