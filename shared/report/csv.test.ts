import { describe, expect, it } from 'vitest';
import { toCsv, toCsvReference } from './csv';

describe('CSV writer', () => {
  it('writes the same bytes as csv-stringify for quotes, commas, line breaks, formulas, empties and Arabic', () => {
    const records = [
      ['plain', 'b,c', 'd"e', '', 'x\ny', 'r\rz', 'x\r\ny', 'a\r', '\r\n', '=1+2', '-3', '@x', '\tt', ' lead', '"', '""', ',', '\uFF1Dx', 'é عمر'],
      [''],
      ['', ''],
    ];
    expect(toCsv(records, { bom: true })).toBe(toCsvReference(records, { bom: true }));
    expect(toCsv(records)).toBe(toCsvReference(records));
  });
});
