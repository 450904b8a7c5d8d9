// The printed exhibit's layout on the seed corpus (362 incidents over May–June 2026, public
// profile), read back with poppler: at least six log rows a page on average, the caption and the
// title on one page after the slip sheet, "Hon." once, the legends, the signature block last.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumPdfPrinter, findChromium } from '../../electron/cli/pdf-chromium';
import { ReportDefinitionInput } from '../../shared/report/definition';
import { renderHtml } from '../../shared/report/html';
import { buildReportModel } from '../../shared/report/model';
import { exhibitPdfOptions, forPrinting } from '../../shared/report/pdf-options';
import { cleanupTempDirs, tempDir } from '../helpers';
import { reportCorpus } from '../report-corpus';

afterAll(cleanupTempDirs);

/** Log rows a landscape page must hold on average (the goal; it was 3). */
const ROWS_PER_PAGE_GOAL = 6;

describe.skipIf(!findChromium())('printed exhibit layout', () => {
  it('fits at least six log rows a page; slip sheet, then caption with the title; "Hon." once; legends; signature last', async () => {
    const model = buildReportModel({
      source: reportCorpus({ incidents: 362, seed: 11 }),
      definition: ReportDefinitionInput.parse({
        name: 'Seed',
        caption: {
          court: 'UNITED STATES DISTRICT COURT',
          division: 'EASTERN DISTRICT OF MICHIGAN, SOUTHERN DIVISION',
          caseName: 'DOE, et seq.,',
          parties: ['Petitioners/Plaintiffs,', 'v.', 'ROE,', 'Respondents/Defendants.'],
          caseNumber: 'Case No. 2:17-cv-11910',
          judge: 'Hon. Mark A. Goldsmith',
          magistrateJudge: 'Magistrate Judge David R. Grand',
        },
        title: 'Status report: incidents reported by class members',
        exhibitLabel: 'Exhibit A',
        periodFrom: '2026-05-01',
        periodTo: '2026-06-30',
        signature: { attorney: 'Jane Doe', barNumber: 'P12345', address: ['2966 Woodward Ave.', 'Detroit, MI 48201'] },
      }),
      settings: { officeName: '', aNumberInPublic: 'omit' },
      generatedAt: '2026-07-01T00:00:00.000Z',
      appVersion: 'test',
      definitionId: null,
    });
    const printer = await chromiumPdfPrinter();
    if ('unavailable' in printer) throw new Error(printer.unavailable);
    const file = join(tempDir(), 'exhibit.pdf');
    try {
      writeFileSync(file, await printer.print(forPrinting(renderHtml(model)), exhibitPdfOptions(model)));
    } finally {
      await printer.close?.();
    }
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    const texts = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\f').slice(0, pages);
    // Log rows: a row number at the start of a line (the row's first line).
    const perPage = texts.map((t) => (t.match(/^\s*A-\d{3,}\b/gm) ?? []).length);
    const logPages = perPage.filter((n) => n > 0);
    expect(perPage.reduce((a, b) => a + b, 0)).toBe(model.log.rows.length);
    const mean = model.log.rows.length / logPages.length;
    console.log(`exhibit layout: ${model.log.rows.length} rows on ${logPages.length} log pages (${pages} pages in all): ${mean.toFixed(2)} rows a page, fewest ${Math.min(...logPages)}`);
    expect(mean).toBeGreaterThanOrEqual(ROWS_PER_PAGE_GOAL);

    expect(texts[0]).toContain('EXHIBIT A');
    const front = texts[1]!;
    for (const s of ['UNITED STATES DISTRICT COURT', 'Case No. 2:17-cv-11910', 'Hon. Mark A. Goldsmith', 'Magistrate Judge David R. Grand', 'Class Action', 'Exhibit A: Status report']) expect(front).toContain(s);
    const all = texts.join('\n');
    expect(all).not.toMatch(/Hon\.\s+Hon\.|Magistrate Judge\s+Magistrate Judge/);
    // Facilities by short name in the log, in full once in the legend.
    for (const f of model.facilities) expect(all.split(f.name).length - 1, f.name).toBe(1);
    expect(all).toContain('Facilities');
    // The signature block is on the last page, after the last row.
    const last = texts.at(-1)!;
    expect(last).toContain('/s/ Jane Doe');
    expect(texts.findIndex((t) => t.includes('/s/ Jane Doe'))).toBe(pages - 1);
    perPage.forEach((_, i) => expect(texts[i], `page ${i + 1}`).toContain(`Exhibit A — page ${i + 1} of ${pages}`));
  }, 180_000);
});
