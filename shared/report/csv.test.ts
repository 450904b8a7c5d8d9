import { describe, expect, it } from 'vitest';
import { reportCorpus } from '../../test/report-corpus';
import { logCsvLines, renderLogCsv, toCsv } from './csv';
import { ReportDefinitionInput } from './definition';
import { buildReportModel } from './model';

describe('CSV writer', () => {
  it('quotes every field holding a quote, comma, CR or LF, and ends each record with CRLF', () => {
    const csv = toCsv([['plain', 'b,c', 'd"e', '', 'x\ny', 'r\rz', 'x\r\ny', 'a\r', 'é عمر'], ['']]);
    expect(csv).toBe('plain,"b,c","d""e",,"x\ny","r\rz","x\r\ny","a\r",é عمر\r\n\r\n');
  });

  it('neutralises cells a spreadsheet would run as formulas, and adds a BOM on request', () => {
    const csv = toCsv([['=1+2', '+1', '-3', '@x', '\tt', 'ok']], { bom: true });
    expect(csv).toBe("\uFEFF'=1+2,'+1,'-3,'@x,'\tt,ok\r\n");
  });

  it('writes the log CSV line by line from the rows taken: the header first (with the BOM when asked), then a line per row', () => {
    const m = buildReportModel({
      source: reportCorpus({ incidents: 5, seed: 3 }),
      definition: ReportDefinitionInput.parse({ name: 'x', caption: { court: 'C', caseName: 'A v. B', caseNumber: '1' }, title: 'T', exhibitLabel: 'Exhibit A', periodFrom: '2026-01-01', periodTo: '2026-12-31', profile: 'sealed', columns: ['rowId', 'summary'] }),
      settings: { officeName: '', aNumberInPublic: 'omit' },
      generatedAt: '2026-07-01T00:00:00.000Z',
      appVersion: 'test',
      definitionId: null,
    });
    const rows = m.log.rows.slice(0, 2);
    expect(rows).toHaveLength(2);
    const lines = [...logCsvLines(m, rows, { bom: true })];
    expect(lines[0]).toBe('\uFEFFNo.,Summary\r\n');
    expect(lines.slice(1)).toEqual(rows.map((r) => toCsv([[r.rowId, r.summary]])));
    expect([...logCsvLines(m, [])]).toEqual(['No.,Summary\r\n']);
    expect(lines.join('')).toBe(renderLogCsv({ ...m, log: { ...m.log, rows } }, { bom: true }));
  });
});
