// What patterns.ts finds by shape: A-number runs and birth dates in free text. Every expectation is
// written out by hand (the text as it must come out), none computed with the code under test.
import { describe, expect, it } from 'vitest';
import { aNumberKey, asciiDigits, redactBirthDates, redactNumberRuns } from './patterns';

/** The replacement shows the ASCII digits it was given, so a test sees what was read. */
const runs = (s: string, known: string[] = []) => redactNumberRuns(s, (d) => `<${d}>`, new Set(known));
const births = (s: string, ...dates: string[]) => redactBirthDates(s, new Set(dates));

describe('asciiDigits', () => {
  it('reads the digits of other scripts as ASCII digits, one for one', () => {
    expect(asciiDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789'); // Arabic-Indic, U+0660 first
    expect(asciiDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789'); // Persian
    expect(asciiDigits('０１２３４５６７８９')).toBe('0123456789'); // full-width
    expect(asciiDigits('०१२३४५६७८९')).toBe('0123456789'); // Devanagari
    expect(asciiDigits('৯৮৭')).toBe('987'); // Bengali, read a second time from the cache
    expect(asciiDigits('A-٢٠٠ 123 ۴۵۶')).toBe('A-200 123 456');
  });

  it('leaves letters of other scripts, and plain ASCII text, as they are', () => {
    expect(asciiDigits('Yusuf 12 ½ ²')).toBe('Yusuf 12 ½ ²'); // below U+0660, not decimal digits
    expect(asciiDigits('يوسف حداد ک ە')).toBe('يوسف حداد ک ە');
    expect(asciiDigits('Ⅻ ① ٪ ٫')).toBe('Ⅻ ① ٪ ٫'); // numbers, but not decimal digits
    expect(asciiDigits('é٣é')).toBe('é3é');
    expect(asciiDigits('')).toBe('');
  });
});

describe('aNumberKey', () => {
  it('drops the leading zeros only', () => {
    expect(aNumberKey('087654321')).toBe('87654321');
    expect(aNumberKey('000100200')).toBe('100200');
    expect(aNumberKey('200100300')).toBe('200100300');
    expect(aNumberKey('0')).toBe('');
  });
});

describe('redactNumberRuns', () => {
  it('takes any run of 8 digits or more for an A-number, with the digits it read', () => {
    expect(runs('A-number 200123456 on file')).toBe('A-number <200123456> on file');
    expect(runs('12345678')).toBe('<12345678>');
    expect(runs('10000000 and 99999999')).toBe('<10000000> and <99999999>');
    expect(runs('id 1234567 only')).toBe('id 1234567 only');
    expect(runs('1234567 and 7654321')).toBe('1234567 and 7654321');
    expect(runs('')).toBe('');
  });

  it('reads digits of any script', () => {
    expect(runs('رقم ٢٠٠١٢٣٤٥٦ هنا')).toBe('رقم <200123456> هنا');
    expect(runs('file ０８７６５４３２１.')).toBe('file <087654321>.');
    expect(runs('٢٠٠ ۱۲۳ 456')).toBe('<200123456>');
  });

  it('joins digits across at most three separators of any kind', () => {
    expect(runs('200 123 456')).toBe('<200123456>');
    expect(runs('200-123-456')).toBe('<200123456>');
    expect(runs('2.0.0/1_2·3\u2212456')).toBe('<200123456>');
    expect(runs('2001\n23456')).toBe('<200123456>');
    expect(runs('2001 - 23456')).toBe('<200123456>');
    expect(runs('2001\u2013\u201423456')).toBe('<200123456>');
    expect(runs('1234   5678')).toBe('<12345678>');
    expect(runs('1234    5678')).toBe('1234    5678');
    expect(runs('1234 , 5678')).toBe('1234 , 5678');
    expect(runs('1234+5678')).toBe('1234+5678');
  });

  it('takes an "A" before the number along, not the end of a word', () => {
    expect(runs('A200123456')).toBe('<200123456>');
    expect(runs('no. A# 200123456')).toBe('no. <200123456>');
    expect(runs('a-200123456')).toBe('<200123456>');
    expect(runs('A:.-200123456')).toBe('<200123456>');
    expect(runs('A: # 200123456')).toBe('A: # <200123456>');
    expect(runs('A    200123456')).toBe('A    <200123456>');
    expect(runs('KA200123456')).toBe('KA<200123456>');
    expect(runs('1A 200123456')).toBe('1A <200123456>');
    expect(runs('ÉA200123456')).toBe('ÉA<200123456>');
    expect(runs('B200123456')).toBe('B<200123456>');
    expect(runs('A-number A 200123456.')).toBe('A-number <200123456>.');
  });

  it('replaces every number of a text, in order, with the text between them kept', () => {
    expect(runs('first 200123456, then A087654321; end')).toBe('first <200123456>, then <087654321>; end');
    expect(runs('12345678,87654321')).toBe('<12345678>,<87654321>');
  });

  it('leaves a date written with separators alone, its year from 1900 to 2099', () => {
    for (const d of ['2026-06-02', '2026/6/2', '2026.06.02', '1900-01-01', '2099-12-31', '06/02/2026', '6-2-2026', '25.12.2026', '12/25/2026', '2026-02-29', '2026-01-31', '31/01/2099', '1/1/1900']) {
      expect(runs(`seen ${d}.`), d).toBe(`seen ${d}.`);
    }
  });

  it('takes a date-shaped number that is no date, or outside 1900–2099, for an A-number', () => {
    const cases: [string, string][] = [
      ['1899-12-31', '18991231'],
      ['2100-01-01', '21000101'],
      ['2026-13-01', '20261301'],
      ['2026-00-10', '20260010'],
      ['2026-06-00', '20260600'],
      ['2026-02-30', '20260230'],
      ['2026-04-31', '20260431'],
      ['2026-01-32', '20260132'],
      ['13/13/2026', '13132026'],
      ['00/12/2026', '00122026'],
      ['12/12/1899', '12121899'],
      ['12/12/2100', '12122100'],
      ['2026-06/02', '20260602'], // two different separators
      ['06/02-2026', '06022026'],
      ['2026 06 02', '20260602'], // spaces are no date's separators
    ];
    for (const [d, digits] of cases) expect(runs(`seen ${d}.`), d).toBe(`seen <${digits}>.`);
  });

  it('takes a date with a digit stuck to it, or more digits after a separator, for a longer number', () => {
    expect(runs('12026-06-02')).toBe('<120260602>');
    expect(runs('2026-06-021')).toBe('<202606021>');
    expect(runs('106/02/2026')).toBe('<106022026>');
    expect(runs('06/02/20261')).toBe('<060220261>');
    expect(runs('20.12.1975.1')).toBe('<201219751>');
    expect(runs('1 2026-06-02')).toBe('<120260602>');
    expect(runs('x 1 2026-06-02')).toBe('x <120260602>');
    expect(runs('2026-06-02 1')).toBe('<202606021>');
    expect(runs('2026-06-02 - 1 ok')).toBe('<202606021> ok');
    expect(runs('2026-06-02    1')).toBe('2026-06-02    1');
    expect(runs('7    2026-06-02')).toBe('7    2026-06-02');
    expect(runs('1 - 2026-06-02')).toBe('<120260602>');
    // A digit a word away is no part of the number.
    expect(runs('Rm 4 x 2026-06-02')).toBe('Rm 4 x 2026-06-02');
    expect(runs('2026-06-02 x 1')).toBe('2026-06-02 x 1');
  });

  it('reads a number that is two overlapping dates as a number', () => {
    expect(runs('Number 25.9.1904.1.1 on the form.')).toBe('Number <259190411> on the form.');
    expect(runs('Number 1904.1.25.9.1904 on the form.')).toBe('Number <190412591904> on the form.');
  });

  it('leaves a range of two dates alone, wherever it stands', () => {
    expect(runs('05/10/2026 - 05/12/2026')).toBe('05/10/2026 - 05/12/2026');
    expect(runs('On 05/10/2026 - 05/12/2026 he was held.')).toBe('On 05/10/2026 - 05/12/2026 he was held.');
    expect(runs('From 2026-05-10 to 2026-05-12 and 2026-05-14.')).toBe('From 2026-05-10 to 2026-05-12 and 2026-05-14.');
    expect(runs('On 2026-05-10 - 2026-05-12 - 1 ok')).toBe('On <20260510202605121> ok');
  });

  it('leaves a ZIP+4 code after a state alone', () => {
    expect(runs('Detroit, MI 48201-1234.')).toBe('Detroit, MI 48201-1234.');
    expect(runs('Detroit, MI  48201-1234.')).toBe('Detroit, MI  48201-1234.');
    expect(runs('Detroit, MI   48201-1234.')).toBe('Detroit, MI   <482011234>.');
    expect(runs('Detroit, mi 48201-1234.')).toBe('Detroit, mi <482011234>.');
    expect(runs('Detroit, XMI 48201-1234.')).toBe('Detroit, XMI <482011234>.');
    expect(runs('Detroit, M 48201-1234.')).toBe('Detroit, M <482011234>.');
    expect(runs('Detroit 48201-1234.')).toBe('Detroit <482011234>.');
    expect(runs('Detroit, MI 48201-12345.')).toBe('Detroit, MI <4820112345>.');
    expect(runs('Detroit, MI 48201 1234.')).toBe('Detroit, MI <482011234>.');
    expect(runs('Detroit, MI 4820-11234.')).toBe('Detroit, MI <482011234>.');
  });

  it('leaves a US phone number alone', () => {
    for (const p of ['313-555-0100', '(313) 555-0100', '(313)555-0100', '313.555.0100', '313 555 0100', '+1 313 555 0100', '1-313-555-0100', '1.313.555.0100', '+1(313) 555-0100', '1 (313) 555-0100', '313 555-0100', '1313-555-0100', '+1313 555 0100']) {
      expect(runs(`call ${p} now`), p).toBe(`call ${p} now`);
    }
  });

  it('leaves a phone number next to a date alone, in either order', () => {
    for (const p of ['(313) 555-0100 - 2026-06-02', '(313)555-0100 - 2026-06-02', '2026-06-02 - 313-555-0100', '06/02/2026 or 1 313 555 0100']) {
      expect(runs(`call ${p} now`), p).toBe(`call ${p} now`);
    }
  });

  it('takes a phone-shaped number that is no phone number for an A-number', () => {
    const cases: [string, string][] = [
      ['3135550100', '3135550100'],
      ['313-5550-100', '3135550100'],
      ['31-3555-0100', '3135550100'],
      ['9313-555-0100', '93135550100'],
      ['313-555-01001', '31355501001'],
      ['313--555-0100', '3135550100'],
      ['313_555_0100', '3135550100'],
      ['2-313-555-0100', '23135550100'],
      ['2 313 555 0100', '23135550100'],
    ];
    for (const [p, digits] of cases) expect(runs(`call ${p} now`), p).toBe(`call <${digits}> now`);
  });

  it("takes a known A-number even where it is shaped like a date, and only that one", () => {
    const known = [aNumberKey('011121999')];
    expect(runs('His number 11.12.1999, seen 11.12.1998.', known)).toBe('His number <11121999>, seen 11.12.1998.');
    expect(runs('A 11.12.1999', known)).toBe('<11121999>');
    // A known number first in the text or after another: each in its place.
    expect(runs('200123456 then 11.12.1999 then 087654321 end', known)).toBe('<200123456> then <11121999> then <087654321> end');
    expect(runs('11.12.1999 and 2026-06-02', known)).toBe('<11121999> and 2026-06-02');
    // Digits written with another script are compared as ASCII.
    expect(runs('٠١١.١٢.١٩٩٩', known)).toBe('<011121999>');
  });

  it('takes no shorter number for a known one, even with its digits', () => {
    const known = [aNumberKey('000001234')];
    expect(runs('A-number 000001234, room 1234, cell 12 34.', known)).toBe('A-number <000001234>, room 1234, cell 12 34.');
  });
});

describe('redactBirthDates', () => {
  const YEAR_ONLY = 'Born 1975, he was held.';

  it('reduces a birth date in any common English form to its year', () => {
    const forms = [
      'June 2, 1975',
      'June 2nd, 1975',
      'june 2 1975',
      'Jun. 2, 1975',
      'JUNE 02 1975',
      'Jun 2 75',
      "June 2, '75",
      'June 2-1975',
      'June the 2nd, 1975',
      'June, 2, 1975',
      '2 June 1975',
      '2nd June 1975',
      '02-Jun-1975',
      '2 Jun. 1975',
      'the 2nd of June 1975',
      '2nd of June, 1975',
      '2 June 75',
      '2June/1975',
      '1975-06-02',
      '1975/6/2',
      '1975 - 06 - 02',
      '1975\u201306\u201302',
      '6/2/1975',
      '06-02-1975',
      '6.2.75',
      '2/6/1975',
      '02.06.1975',
      '6 \u2212 2 \u2212 75',
      '19750602',
      '06021975',
      '02061975',
      '١٩٧٥-٠٦-٠٢',
    ];
    for (const f of forms) expect(births(`Born ${f}, he was held.`, '1975-06-02'), f).toBe(YEAR_ONLY);
  });

  it('reads a two-digit year in either century', () => {
    expect(births('Born 6/2/05, held.', '2005-06-02')).toBe('Born 2005, held.');
    expect(births('Born 6/2/05, held.', '1905-06-02')).toBe('Born 1905, held.');
    expect(births('Born June 2, 05, held.', '2005-06-02')).toBe('Born 2005, held.');
    expect(births('Born 2 June 05, held.', '1905-06-02')).toBe('Born 1905, held.');
  });

  it('reads every month by its name', () => {
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    months.forEach((name, i) => {
      const iso = `1980-${String(i + 1).padStart(2, '0')}-13`;
      expect(births(`Born ${name} 13, 1980.`, iso), name).toBe('Born 1980.');
      expect(births(`Born 13 ${name.slice(0, 3)} 1980.`, iso), name).toBe('Born 1980.');
      expect(births(`Born ${name.slice(0, 3)} 13, 1980.`, '1980-12-31'), name).toBe(`Born ${name.slice(0, 3)} 13, 1980.`);
    });
    expect(births('Born Sept 13, 1980.', '1980-09-13')).toBe('Born 1980.');
  });

  it('leaves every other date alone', () => {
    for (const f of ['June 3, 1975', 'June 2, 1976', 'July 2, 1975', '1975-06-03', '1975-02-06', '6/3/1975', '3/6/1975', '19750603', '2 June 1976', 'June 2', '2026-06-02', '1975']) {
      expect(births(`Born ${f}, held.`, '1975-06-02'), f).toBe(`Born ${f}, held.`);
    }
  });

  it('reads 6/2 as June 2 and as 6 February', () => {
    expect(births('On 6/2/1980.', '1980-02-06')).toBe('On 1980.');
    expect(births('On 6/2/1980.', '1980-06-02')).toBe('On 1980.');
    expect(births('On 13/2/1980.', '1980-02-13')).toBe('On 1980.');
    expect(births('On 2/13/1980.', '1980-02-13')).toBe('On 1980.');
    expect(births('On 1980-2-6.', '1980-06-02')).toBe('On 1980-2-6.');
  });

  it('reads eight digits as year-month-day, month-day-year and day-month-year', () => {
    expect(births('On 19800213.', '1980-02-13')).toBe('On 1980.');
    expect(births('On 02131980.', '1980-02-13')).toBe('On 1980.');
    expect(births('On 13021980.', '1980-02-13')).toBe('On 1980.');
    expect(births('On 21301980.', '1980-02-13')).toBe('On 21301980.');
    expect(births('On 198002131.', '1980-02-13')).toBe('On 198002131.');
  });

  it('takes no date out of a longer number or word', () => {
    expect(births('Ref 11975-06-02 and x1975-06-02', '1975-06-02')).toBe('Ref 11975-06-02 and x1975-06-02');
    expect(births('Ref 1975-06-023', '1975-06-02')).toBe('Ref 1975-06-023');
    expect(births('Ref XJune 2, 1975', '1975-06-02')).toBe('Ref XJune 2, 1975');
  });

  it('checks every day of a month: no 31 June, 29 February read', () => {
    expect(births('On 6/31/1980 and 2/29/1980.', '1980-02-29')).toBe('On 6/31/1980 and 1980.');
    expect(births('On 1980-02-29.', '1980-02-29')).toBe('On 1980.');
  });

  it('replaces each date once, in order, where the forms overlap', () => {
    expect(births('Born 2 June 1975-06-02.', '1975-06-02')).toBe('Born 1975-06-02.');
    expect(births('Seen June 2, 1975; born 6/2/75 too; and 1975-06-02.', '1975-06-02')).toBe('Seen 1975; born 1975 too; and 1975.');
    expect(births('Born 02061975 or 2 Jun 1975, twin 1980-11-23.', '1975-06-02', '1980-11-23')).toBe('Born 1975 or 1975, twin 1980.');
  });

  it('does nothing without a birth date or a date-shaped text', () => {
    expect(births('Born June 2, 1975.')).toBe('Born June 2, 1975.');
    expect(births('', '1975-06-02')).toBe('');
    expect(births('No date here at all.', '1975-06-02')).toBe('No date here at all.');
  });

  it('keeps the original characters around a date in another script', () => {
    expect(births('ولد ١٩٧٥/٦/٢ في', '1975-06-02')).toBe('ولد 1975 في');
  });
});
