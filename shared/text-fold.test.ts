import { describe, expect, it } from 'vitest';
import { foldText, ftsQuery, nameKey, originalNameKey, searchIndexText } from './text-fold';

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
    expect(originalNameKey('')).toBeNull();
  });
});

describe('search index text', () => {
  it('adds Arabic words without an attached conjunction, preposition or article', () => {
    const body = searchIndexText('قطعوا والماء بالزنزانة');
    expect(body.split(/\s+/)).toEqual(expect.arrayContaining(['والماء', 'الماء', 'ماء', 'زنزانه', 'الزنزانه']));
  });

  it('leaves short words and Latin text alone', () => {
    expect(searchIndexText('Water, CELL')).toBe('water, cell');
    expect(searchIndexText('وصل')).toBe('وصل');
  });
});
