import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderLogCsv, renderSummaryCsv } from '../../shared/report/csv';
import { ReportDefinitionInput } from '../../shared/report/definition';
import { renderDocx } from '../../shared/report/docx';
import { renderHtml } from '../../shared/report/html';
import { buildReportModel } from '../../shared/report/model';
import { cleanupTempDirs, tempDir } from '../helpers';
import { reportCorpus } from '../report-corpus';

// Golden files: a small fixed exhibit rendered to HTML, CSV and DOCX (word/document.xml) must match
// the committed files byte for byte. After a deliberate change, regenerate with UPDATE_GOLDEN=1 and
// look at the diff before committing it.
const GOLDEN = join(process.cwd(), 'test', 'golden');
afterAll(cleanupTempDirs);

function model(profile: 'public' | 'sealed') {
  return buildReportModel({
    source: reportCorpus({ incidents: 12, people: 6, seed: 2 }),
    definition: ReportDefinitionInput.parse({
      name: 'Golden',
      caption: { court: 'UNITED STATES DISTRICT COURT', division: 'EASTERN DISTRICT OF MICHIGAN', caseName: 'Doe, et al.,', parties: ['Petitioners,', 'v.', 'Agency, et al.,', 'Respondents.'], caseNumber: 'No. 2:26-cv-00001', judge: 'A. Judge' },
      title: 'Status report',
      exhibitLabel: 'Exhibit B',
      periodFrom: '2026-05-01',
      periodTo: '2026-06-30',
      profile,
      signature: { attorney: 'Jane Doe', barNumber: 'P12345', email: 'jdoe@example.org' },
    }),
    settings: { officeName: 'Legal aid', aNumberInPublic: 'last3' },
    generatedAt: '2026-07-01T09:00:00.000Z',
    appVersion: '0.0.0-golden',
    definitionId: null,
  });
}

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    if (!process.env.UPDATE_GOLDEN) throw new Error(`missing golden file ${name}; run with UPDATE_GOLDEN=1 to create it`);
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual === readFileSync(file, 'utf8'), `${name} differs from its golden file`).toBe(true);
}

async function documentXml(bytes: Uint8Array): Promise<string> {
  const f = join(tempDir(), 'x.docx');
  writeFileSync(f, bytes);
  return execFileSync('unzip', ['-p', f, 'word/document.xml'], { encoding: 'utf8' });
}

describe('golden files', () => {
  for (const profile of ['public', 'sealed'] as const) {
    it(`renders the ${profile} exhibit to the committed HTML, CSV and DOCX document.xml`, async () => {
      const m = model(profile);
      golden(`exhibit-${profile}.html`, renderHtml(m));
      golden(`exhibit-${profile}-log.csv`, renderLogCsv(m, { bom: true }));
      golden(`exhibit-${profile}-summary.csv`, renderSummaryCsv(m));
      golden(`exhibit-${profile}-document.xml`, await documentXml(await renderDocx(m)));
    });
  }

  it('renders the same model to the same bytes every time', async () => {
    const [a, b] = [model('public'), model('public')];
    expect(renderHtml(a)).toBe(renderHtml(b));
    expect(renderLogCsv(a)).toBe(renderLogCsv(b));
    expect(await documentXml(await renderDocx(a))).toBe(await documentXml(await renderDocx(b)));
  });
});
