import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReportDefinitionInput } from './report/definition';
import { IncidentInput, PersonInput } from './schemas';
import { cleanInput, exportText } from './text-clean';

const ID = '01J0000000000000000000000A';
const incident = (summary: string) => ({ personId: ID, facilityId: ID, occurredOn: '2026-05-01', categories: ['FOOD'], summary });

// Characters no reader sees, as an independent list (not the production predicate).
const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\u2060', '\u00AD', '\uFEFF', '\u200E', '\u200F', '\u061C', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u0000', '\u0001', '\u001F', '\u007F', '\u0085', '\u009F', '\u180E', '\u2061', '\u034F', '\uFE0F', '\u3164', '\u115F'];

describe('input', () => {
  it('refuses a required text made only of invisible characters and spaces, naming the field', () => {
    for (const c of INVISIBLE) {
      const r = IncidentInput.safeParse(incident(` ${c}${c} `));
      expect(r.success, JSON.stringify(c)).toBe(false);
      expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual(['summary', 'Summary is required']);
    }
    const p = PersonInput.safeParse({ familyName: '\u00AD\uFEFF', givenName: 'Ann', aNumber: '200000001' });
    expect(p.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['familyName', 'Family name is required']]);
    const d = ReportDefinitionInput.safeParse({ name: 'x', caption: { court: 'C', caseName: '\u2060', caseNumber: '1' }, title: 'T', exhibitLabel: 'A', periodFrom: '2026-01-01', periodTo: '2026-01-31' });
    expect(d.error?.issues.map((i) => i.path.join('.'))).toEqual(['caption.caseName']);
  });

  it('strips invisible characters that mean nothing, and keeps those that do', () => {
    expect(IncidentInput.parse(incident('Yu\u200Bsuf Had\u00ADdad\u0000 was\u2060 held')).summary).toBe('Yusuf Haddad was held');
    expect(cleanInput('Yu\u200Csuf \u200Ewas\u202E held')).toBe('Yusuf was held');
    // A directional mark in right-to-left text, a Persian zero-width non-joiner between letters and an emoji sequence stay.
    expect(cleanInput('قال\u200F: OK')).toBe('قال\u200F: OK');
    expect(cleanInput('می\u200Cخواهم')).toBe('می\u200Cخواهم');
    expect(cleanInput('👩\u200D⚖️')).toBe('👩\u200D⚖️');
    expect(cleanInput('line one\r\nline\ttwo')).toBe('line one\r\nline\ttwo');
  });
});

describe('exportText', () => {
  const withInvisibles = fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom(...INVISIBLE), fc.constantFrom('يوسف', 'Ｙｕｓｕｆ', 'ﷲ', '\r\n', '\u2028')), { maxLength: 20 }).map((a) => a.join(''));

  it('writes no invisible character, and gives the same text when applied twice', () => {
    fc.assert(
      fc.property(withInvisibles, (s) => {
        const out = exportText(s);
        for (const c of INVISIBLE) expect(out.includes(c)).toBe(false);
        expect(out).not.toMatch(/[\p{Cf}\r]/u);
        expect(out).toBe(out.normalize('NFKC'));
        expect(exportText(out)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });

  it('shows full-width letters and presentation forms as plain ones', () => {
    expect(exportText('Ｙｕｓｕｆ ﻳﻮﺳﻒ')).toBe('Yusuf يوسف');
  });
});
