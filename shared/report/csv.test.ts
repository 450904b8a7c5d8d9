import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('CSV writer', () => {
  it('quotes every field holding a quote, comma, CR or LF, and ends each record with CRLF', () => {
    const csv = toCsv([['plain', 'b,c', 'd"e', '', 'x\ny', 'r\rz', 'x\r\ny', 'a\r', 'é عمر'], ['']]);
    expect(csv).toBe('plain,"b,c","d""e",,"x\ny","r\rz","x\r\ny","a\r",é عمر\r\n\r\n');
  });

  it('neutralises cells a spreadsheet would run as formulas, and adds a BOM on request', () => {
    const csv = toCsv([['=1+2', '+1', '-3', '@x', '\tt', 'ok']], { bom: true });
    expect(csv).toBe("\uFEFF'=1+2,'+1,'-3,'@x,'\tt,ok\r\n");
  });
});
