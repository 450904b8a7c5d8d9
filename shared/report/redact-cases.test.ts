// The matcher's corner cases, each written out by hand with the answer it must give (redact.test.ts
// checks the same code against a reference on random texts; these are the cases random texts
// rarely or never build): which name parts the fuzzy match keeps, which words it tries, a one-letter
// word after an Arabic prefix, and the spellings and initials made of a person's name.
import { describe, expect, it } from 'vitest';
import { compileNames, fuzzyNames, initials, nameMatcher, nameSpellings, redactNames } from './redact';

const entry = (name: string, replacement: string) => ({ name, replacement });

describe('the table of spellings', () => {
  it('leaves out a spelling of one character or none', () => {
    const t = compileNames([entry('Y', 'CM-001'), entry('', 'CM-002'), entry(' - ', 'CM-003'), entry('Yu', 'CM-004')]);
    expect([...t.map]).toEqual([['yu', 'CM-004']]);
    expect(redactNames('Y - Yu', t)).toBe('Y - CM-004');
  });

  it('gives a spelling two people share to neither (when told what to write instead), to the first otherwise', () => {
    const entries = [entry('Yusuf Haddad', 'CM-001'), entry('Haddad', 'CM-001'), entry('Sara Haddad', 'CM-002'), entry('Haddad', 'CM-002')];
    const t = compileNames(entries, { ambiguous: '[name]' });
    expect(redactNames('Haddad; Yusuf Haddad; Sara Haddad', t)).toBe('[name]; CM-001; CM-002');
    // Each of them, in their own row, is still named by it.
    expect(redactNames('Haddad', t, undefined, 'CM-001')).toBe('CM-001');
    expect(redactNames('Haddad', t, undefined, 'CM-002')).toBe('CM-002');
    expect(redactNames('Haddad', t, undefined, 'CM-003')).toBe('[name]');
    expect(redactNames('Sara Haddad', t, undefined, 'CM-001')).toBe('CM-002');
    // One person giving the same spelling twice is no clash.
    expect(redactNames('Haddad', compileNames([entry('Haddad', 'CM-001'), entry('HADDAD', 'CM-001')], { ambiguous: '[name]' }))).toBe('CM-001');
    expect(redactNames('Haddad', compileNames(entries))).toBe('CM-001');
  });

  it('as a matcher: a table with no spelling leaves every text as it is', () => {
    const m = nameMatcher([entry('Sara Haddad', 'CM-002'), entry('Haddad', 'CM-001'), entry('Haddad', 'CM-002')], { ambiguous: '[name]' });
    expect(m.apply('Sara Haddad met Haddad')).toBe('CM-002 met [name]');
    expect(nameMatcher([entry('Haddad', 'CM-001'), entry('Haddad', 'CM-002')]).apply('Haddad')).toBe('CM-001');
    expect(nameMatcher([]).apply('Haddad')).toBe('Haddad');
  });
});

describe('the fuzzy table (skeletons of Latin name parts)', () => {
  it('keeps a part of 4 letters or more whose skeleton has 3 letters or more, and nothing else', () => {
    const m = fuzzyNames([entry('Omar Brz Sara', 'CM-001')]);
    // Omar: a-m-r (4 letters, a skeleton of 3). Brz: 3 letters, though its skeleton is 3 letters
    // long. Sara: 4 letters, a skeleton of 2 (s-r).
    expect([...m]).toEqual([['amr', 'CM-001']]);
  });

  it('takes only parts written wholly in Latin letters', () => {
    // Each of these folds, through its look-alike letters, to a skeleton of 3 or more (Карим: k-p-m).
    const m = fuzzyNames([entry('Карим Kаrim Каrim Karиm Kariм', 'CM-002'), entry('Tariq', 'CM-003')]);
    expect([...m]).toEqual([['trk', 'CM-003']]);
  });

  it('names nobody by a skeleton two people share, unless both entries are the same person', () => {
    const m = fuzzyNames([entry('Tariq Haddad', 'CM-001'), entry('Tarek Morales', 'CM-002'), entry('Tarik', 'CM-003'), entry('Haddad', 'CM-001')]);
    expect(m.get('trk')).toBe('[name]');
    // Haddad: h-d, too short to count.
    expect(m.get('hd')).toBeUndefined();
    expect(m.get('mrls')).toBe('CM-002');
    const own = fuzzyNames([entry('Hamdani', 'CM-001'), entry('Hamdany', 'CM-001')]);
    expect([...own]).toEqual([['hmdn', 'CM-001']]);
    expect(fuzzyNames([entry('Tariq', 'CM-001'), entry('Tarek', 'CM-002')], 'X').get('trk')).toBe('X');
  });
});

describe('the fuzzy match in a text', () => {
  const people = [entry('Amina Farouk', 'CM-008'), entry('Zaynab Morales', 'CM-009')];
  const table = compileNames(people);
  const fuzzy = fuzzyNames(people);

  it('replaces a capitalised word of 4 letters or more with a known skeleton, from A to Z', () => {
    expect(redactNames('Ameena said Zeinab saw Faruq', table, fuzzy)).toBe('CM-008 said CM-009 saw CM-008');
  });

  it('leaves the same word in lower case, a word of 3 letters, and a word without a known skeleton', () => {
    expect(redactNames('ameena and zeinab', table, fuzzy)).toBe('ameena and zeinab');
    // "Amn" has the skeleton a-m-n of Amina, but only 3 letters.
    expect(redactNames('Amn Amno', table, fuzzy)).toBe('Amn CM-008');
    expect(redactNames('said Amn', table, fuzzy)).toBe('said Amn');
    expect(redactNames('Ameena', table)).toBe('Ameena');
  });

  it('tests the capital in the original text, where folding moved the word', () => {
    // ﬁ folds to two letters: the word after it starts one character later in the folded text.
    expect(redactNames('ﬁ Ameena', table, fuzzy)).toBe('ﬁ CM-008');
    expect(redactNames('ﬁ ameena', table, fuzzy)).toBe('ﬁ ameena');
  });
});

describe('an Arabic word with a prefix', () => {
  it('peels a prefix only from a word that keeps two letters or more after it', () => {
    // A one-letter first word (ع, of the name "ع حداد") is not read out of وع ("and ع" is no word).
    const table = compileNames([entry('ع حداد', 'CM-010'), entry('علي', 'CM-011')]);
    expect(redactNames('ع حداد', table)).toBe('CM-010');
    expect(redactNames('وع حداد', table)).toBe('وع حداد');
    expect(redactNames('قال وع حداد', table)).toBe('قال وع حداد');
    expect(redactNames('وعلي', table)).toBe('وCM-011');
  });

  it('finds a name whose first word is one letter anywhere in the text', () => {
    const table = compileNames([entry('ع حداد', 'CM-010'), entry('K Haddad', 'CM-012')]);
    expect(redactNames('قال ع حداد', table)).toBe('قال CM-010');
    expect(redactNames('Dr K Haddad and Dr K. Haddad', table)).toBe('Dr CM-012 and Dr CM-012');
  });
});

describe('a person’s spellings', () => {
  it('are the whole names, each part of 2 characters or more with a letter or digit that is no particle, and the Arabic ones without their article', () => {
    expect(
      nameSpellings({ familyName: 'al-Haddad', givenName: 'Yusuf', nameOriginal: 'يوسف الحداد', nameVariants: ['Youssef, K Haddad', 'Bin ‐ 12 .. Abu‐Zaid', 'الي اليوسف الحد'] }),
    ).toEqual([
      'Yusuf al-Haddad',
      'al-Haddad',
      'Yusuf',
      'al-Haddad Yusuf',
      'يوسف الحداد',
      'Youssef, K Haddad',
      'Bin ‐ 12 .. Abu‐Zaid',
      'الي اليوسف الحد',
      'Haddad',
      'يوسف',
      'الحداد',
      'Youssef',
      '12',
      'Zaid',
      'الي',
      'اليوسف',
      'الحد',
      'يوسف حداد',
      'الي يوسف الحد',
      'حداد',
    ]);
  });

  it('are the whole names alone when no variant is recorded', () => {
    expect(nameSpellings({ familyName: 'Nguyen', givenName: 'Thanh', nameOriginal: null, nameVariants: [] })).toEqual(['Thanh Nguyen', 'Nguyen', 'Thanh', 'Nguyen Thanh']);
  });
});

describe('initials', () => {
  it('are the first letter of each name, capitalised, with a full stop', () => {
    expect(initials(' yusuf ', 'haddad')).toBe('Y. H.');
    expect(initials('ülkü', '𝐀bc')).toBe('Ü. 𝐀.');
    expect(initials('', 'Haddad')).toBe('. H.');
  });
});

describe('an Arabic name without its article', () => {
  it('drops only the article at the start of a word, never the same two letters inside it', () => {
    // الصالحين: the article, then صالحين, which holds ال again before three letters (ح ي ن).
    expect(nameSpellings({ familyName: 'الصالحين', givenName: 'علي', nameOriginal: null, nameVariants: [] })).toEqual([
      'علي الصالحين',
      'الصالحين',
      'علي',
      'الصالحين علي',
      'علي صالحين',
      'صالحين',
      'صالحين علي',
    ]);
  });
});
