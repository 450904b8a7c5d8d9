import { describe, expect, it } from 'vitest';
import { foldText, ftsQuery, nameKey, nameMatches, nameSearchTerms, originalNameKey, searchIndexText } from './text-fold';

describe('text folding', () => {
  it('folds case and Latin diacritics', () => {
    expect(foldText('José PEÑA Ángel')).toBe('jose pena angel');
  });

  it('folds Arabic harakat, tatweel and letter variants (alef, ta marbuta, alef maqsura, hamza seats)', () => {
    expect(foldText('مُحَمَّد')).toBe('محمد');
    expect(foldText('محـــمد')).toBe('محمد');
    expect(foldText('أحمد إبراهيم آمنة')).toBe('احمد ابراهيم امنه');
    expect(foldText('فاطمة')).toBe(foldText('فاطمه'));
    expect(foldText('سلمى')).toBe('سلمي');
    expect(foldText('مسؤول')).toBe('مسوول');
  });

  it('folds the Persian and Kurdish (Sorani) letters typed on another keyboard to their Arabic spelling', () => {
    // ی ێ → ي, ک → ك, ە ھ ۀ → ه, ۆ → و, ڵ → ل, ڕ → ر, each alone.
    expect(foldText('ی ێ ک ە ھ ۀ ۆ ڵ ڕ')).toBe('ي ي ك ه ه ه و ل ر');
    // ۀ typed as its two parts (ە and hamza above) folds the same.
    expect(foldText('\u06D5\u0654')).toBe('ه');
    expect(foldText('ھاوڕێ')).toBe(foldText('هاوري'));
    // A name and words typed in Sorani fold to what an Arabic keyboard types, and the other way round.
    expect(foldText('کەریم ڕەزا')).toBe('كهريم رهزا');
    expect(foldText('كهريم رهزا')).toBe(foldText('کەریم ڕەزا'));
    expect(foldText('پۆلیس')).toBe(foldText('پوليس'));
    expect(foldText('منداڵەکان')).toBe(foldText('مندالهكان'));
    expect(foldText('نەهێشت')).toBe(foldText('نههيشت'));
    // Mixed within one word, with Latin text and harakat around it.
    expect(foldText('Karim کەريم كەریم ڕَەزا')).toBe('karim كهريم كهريم رهزا');
    // Letters with no Arabic-keyboard twin stay as they are.
    expect(foldText('پ چ ژ گ ڤ')).toBe('پ چ ژ گ ڤ');
  });

  it('gives Kurdish and Arabic spellings the same FTS query', () => {
    expect(ftsQuery('کەریم ڕەز*')).toBe('"كهريم" "رهز"*');
    expect(ftsQuery('كهريم رهز*')).toBe(ftsQuery('کەریم ڕەز*'));
  });

  it('builds an FTS query of quoted folded words, every word required, "*" as a prefix', () => {
    expect(ftsQuery('Water  cell')).toBe('"water" "cell"');
    expect(ftsQuery('insul*')).toBe('"insul"*');
    expect(ftsQuery('الماءُ')).toBe('"الماء"');
    expect(ftsQuery('" OR NEAR(')).toBe('"or" "near"');
    expect(ftsQuery('  -- ')).toBeNull();
  });
});

describe('name similarity keys', () => {
  it.each([
    [['Haddad', 'Mohammed'], ['HADDAD', 'Muhammad']],
    [['Haddad', 'Mohamed'], ['haddad', 'Mohammad']],
    [['Saleh', 'Ahmed'], ['Saleh', 'Ahmad']],
    [['Khalil', 'Youssef'], ['Khalil', 'Yusuf']],
    [['Nasser', 'Omar'], ['Nasser', 'Umar']],
    [['Al-Masri', 'Abdelrahman'], ['Al Masri', 'Abdul Rahman']],
    [['Peña', 'José'], ['Pena', 'Jose']],
    [['Darwish', 'Fatima'], ['Fatimah', 'Darwish']],
  ])('treats %j and %j as the same name', (a, b) => {
    expect(nameKey(a[0]!, a[1]!)).toBe(nameKey(b[0]!, b[1]!));
  });

  it('keeps different names apart', () => {
    expect(nameKey('Haddad', 'Mohammed')).not.toBe(nameKey('Haddad', 'Ahmed'));
    expect(nameKey('García', 'Luis')).not.toBe(nameKey('García', 'Lucía'));
  });

  it('matches original-script names up to letter variants, marks and word order', () => {
    expect(originalNameKey('أحمد صالح')).toBe(originalNameKey('صالح احمد'));
    expect(originalNameKey('فاطمة درويش')).toBe(originalNameKey('فاطِمه  درويش'));
    expect(originalNameKey('کەریم ڕەزا')).toBe(originalNameKey('رهزا كهريم'));
    expect(originalNameKey('هۆشیار عەبدوڵڵا')).toBe(originalNameKey('هوشيار عهبدوللا'));
    expect(originalNameKey('')).toBeNull();
  });
});

describe('search index text', () => {
  it('adds Arabic words without an attached conjunction, preposition or article', () => {
    const body = searchIndexText('قطعوا والماء بالزنزانة');
    expect(body.split(/\s+/)).toEqual(expect.arrayContaining(['والماء', 'الماء', 'ماء', 'زنزانه', 'الزنزانه']));
  });

  it('strips attached prefixes from folded Kurdish and Persian spellings as from the Arabic one', () => {
    // Folded, the Sorani letters fall in U+0621-064A, so the word counts as Arabic for the prefixes.
    expect(searchIndexText('وکەریم')).toBe('وكهريم\nكهريم');
    expect(searchIndexText('وکەریم')).toBe(searchIndexText('وكهريم'));
    expect(searchIndexText('بالوکیل')).toBe(searchIndexText('بالوكيل'));
  });

  it('leaves short words and Latin text alone', () => {
    expect(searchIndexText('Water, CELL')).toBe('water, cell');
    expect(searchIndexText('وصل')).toBe('وصل');
  });
});

describe('name search', () => {
  const stored = foldText('Al-Jubouri Ahmed أحمد الجبوري');
  it('matches every word in any order, articles optional, with transliteration variants', () => {
    for (const q of ['Ahmed Al-Jubouri', 'jubouri ahmed', 'Al Jubouri', 'Aljubouri', 'Ahmad', 'Jubori', 'احمد جبوري']) {
      expect(nameMatches(stored, nameSearchTerms(q)), q).toBe(true);
    }
    for (const q of ['Ahmed Smith', 'Mohamed', 'xyz']) expect(nameMatches(stored, nameSearchTerms(q)), q).toBe(false);
  });
  it('without variants, a word must begin a word of the name', () => {
    expect(nameMatches(foldText('Haddad Fadi'), ['food'], true)).toBe(true);
    expect(nameMatches(foldText('Haddad Fadi'), ['food'], false)).toBe(false);
    expect(nameMatches(foldText('Haddad Fadi'), ['fad'], false)).toBe(true);
    expect(nameMatches(foldText('Haddad Fadi'), ['add'], false)).toBe(false);
  });
});
