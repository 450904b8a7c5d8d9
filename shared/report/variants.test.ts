// Name spellings nobody recorded (variants.ts): split, spaced out, run together, in an e-mail
// address, transliterated differently, or a Latin name typed in Arabic letters. Every expectation is
// written out by hand: the text as it must come out, the table and the shapes as they must read.
import { describe, expect, it } from 'vitest';
import { arabicSkeletons, compileVariants, latinSkeleton, redactVariants, vowelShape } from './variants';

// Compiled inside each test, never when the file loads: code run at load is out of Stryker's reach
// (its mutants count as static and are never switched on).
const table = () =>
  compileVariants([
    { name: 'Yusuf Haddad', replacement: 'P1' },
    { name: 'Hiwa Barzani', replacement: 'P2' },
    { name: 'Abdulrahman Ali', replacement: 'P3' },
    { name: 'Omar', replacement: 'P4' },
    { name: 'Y H', replacement: 'P5' },
  ]);
const all = (s: string) => redactVariants(s, table());
const split = (s: string) => redactVariants(s, table(), true);

describe('compileVariants', () => {
  it('keys every name part of 3 letters or more, and two or all parts run together in either order', () => {
    const t = compileVariants([{ name: 'Yusuf Haddad', replacement: 'P1' }, { name: 'Abdulrahman Ali', replacement: 'P3' }, { name: 'Li', replacement: 'P9' }]);
    expect(Object.fromEntries(t.joined)).toEqual({
      yusuf: 'P1',
      haddad: 'P1',
      yusufhaddad: 'P1',
      haddadyusuf: 'P1',
      abdulrahman: 'P3',
      ali: 'P3',
      abdulrahmanali: 'P3',
      aliabdulrahman: 'P3',
    });
    expect(Object.fromEntries(t.shapes)).toEqual({ yasaf: 'P1', hadad: 'P1', abdalrahman: 'P3' });
    expect(Object.fromEntries(t.skeletons)).toEqual({ asf: 'P1', abdlrhmn: 'P3' });
    expect([...t.prefixes].filter((p) => p.startsWith('yus')).sort()).toEqual(['yus', 'yusu', 'yusuf', 'yusufh', 'yusufha', 'yusufhad', 'yusufhadd', 'yusufhadda', 'yusufhaddad']);
    expect(t.prefixes.has('y')).toBe(true);
    expect(t.prefixes.has('l')).toBe(false);
    expect(t.prefixes.has('')).toBe(false);
    expect(t.prefixes.size).toBe(new Set(['yusufhaddad', 'haddadyusuf', 'abdulrahmanali', 'aliabdulrahman'].flatMap((k) => [...k].map((_, n) => k.slice(0, n + 1)))).size);
  });

  it('folds case and accents, and drops digits from a name part', () => {
    const t = compileVariants([{ name: 'JOSÉ Pérez2 3', replacement: 'P1' }]);
    expect([...t.joined.keys()].sort()).toEqual(['jose', 'joseperez', 'perez', 'perezjose']);
  });

  it('marks a key two people share with different replacements as ambiguous, not as one of them', () => {
    const t = compileVariants([
      { name: 'Yusuf Haddad', replacement: 'P1' },
      { name: 'Sara Haddad', replacement: 'P2' },
      { name: 'Yusuf', replacement: 'P1' },
    ]);
    expect(t.joined.get('haddad')).toBe('[name]');
    expect(t.joined.get('yusuf')).toBe('P1');
    expect(t.shapes.get('hadad')).toBe('[name]');
    expect(t.shapes.get('yasaf')).toBe('P1');
    expect(t.skeletons.get('hd')).toBe(undefined);
    expect(compileVariants([{ name: 'Haddad', replacement: 'P1' }, { name: 'Hadad', replacement: 'P2' }], '[someone]').shapes.get('hadad')).toBe('[someone]');
    expect(compileVariants([{ name: 'Omar', replacement: 'P1' }, { name: 'Amr', replacement: 'P2' }]).skeletons.get('amr')).toBe('[name]');
  });

  it('runs together the parts of names of up to four parts only', () => {
    const four = compileVariants([{ name: 'Maria de la Cruz', replacement: 'P1' }]);
    expect(four.joined.get('mariadelacruz')).toBe('P1');
    expect(four.joined.get('mariacruz')).toBe('P1');
    expect(four.joined.get('cruzmaria')).toBe('P1');
    // A number in the name is no part of it: still four parts.
    expect(compileVariants([{ name: 'Maria de la Cruz 2', replacement: 'P1' }]).joined.get('mariacruz')).toBe('P1');
    const five = compileVariants([{ name: 'Ana Bel Cid Dan Eve', replacement: 'P1' }]);
    expect([...five.joined.keys()].sort()).toEqual(['ana', 'bel', 'cid', 'dan', 'eve']);
    expect(redactVariants('AnaBel and Ana Bel', five)).toBe('AnaBel and P1 P1');
  });

  it('keeps the shape of a Latin part of 5 letters or more whose shape has 4 letters or more, and no Arabic part', () => {
    const t = compileVariants([{ name: 'Yahya Musa', replacement: 'P1' }, { name: 'Zainab', replacement: 'P2' }, { name: 'يوسف حداد', replacement: 'P3' }, { name: 'Ahmed', replacement: 'P4' }]);
    expect(Object.fromEntries(t.shapes)).toEqual({ yaha: 'P1', zanab: 'P2', ahmad: 'P4' });
    expect(Object.fromEntries(t.skeletons)).toEqual({ znb: 'P2', ahmd: 'P4' });
    expect(t.joined.get('يوسف')).toBe('P3');
  });

  it('gives an empty table for names without letters', () => {
    const t = compileVariants([{ name: '123 - 45', replacement: 'P1' }]);
    expect(t.joined.size + t.shapes.size + t.skeletons.size + t.prefixes.size).toBe(0);
    expect(redactVariants('123 - 45 youssef', t)).toBe('123 - 45 youssef');
  });
});

describe('vowelShape and latinSkeleton', () => {
  it('gives transliterations of one name one vowel shape', () => {
    const shapes: [string, string][] = [
      ['youssef', 'yasaf'],
      ['yusuf', 'yasaf'],
      ['yousef', 'yasaf'],
      ['mohammed', 'mahamad'],
      ['muhammad', 'mahamad'],
      ['philip', 'falap'],
      ['mackenzie', 'makanza'],
      ['carlos', 'karlas'],
      ['marc', 'mark'],
      ['cecil', 'cacal'],
      ['quinn', 'kan'],
      ['yahya', 'yaha'],
      ['yahia', 'yaha'],
      ['sarah', 'sara'],
      ['allah', 'ala'],
      ['hamh', 'hamh'],
      ['cuba', 'kaba'],
      ['ceco', 'caka'],
      ['kelly', 'kala'],
      ['hammmad', 'hamad'],
    ];
    for (const [w, v] of shapes) expect(vowelShape(w), w).toBe(v);
    // Asked again: the same answer.
    expect(vowelShape('youssef')).toBe('yasaf');
  });

  it('keeps the consonants of a Latin word, its first letter, a vowel first as "a"', () => {
    const skeletons: [string, string][] = [
      ['philip', 'flp'],
      ['quentin', 'kntn'],
      ['jacques', 'jks'],
      ['mackenzie', 'mknz'],
      ['omar', 'amr'],
      ['yasmin', 'asmn'],
      ['haddad', 'hd'],
      ['barzani', 'brzn'],
      ['ezzat', 'azt'],
      ['uyghur', 'aghr'],
      ['syed', 'sd'],
    ];
    for (const [w, k] of skeletons) expect(latinSkeleton(w), w).toBe(k);
  });
});

describe('arabicSkeletons', () => {
  it('reads an Arabic-script word as the Latin consonants a transliteration writes', () => {
    const cases: [string, string[]][] = [
      ['بارزاني', ['brzn']],
      ['يوسف', ['ysf', 'ywsf']],
      ['يُوسُف', ['ysf', 'ywsf']], // marks ignored
      ['عمر', ['amr']],
      ['وليد', ['wld']],
      ['ياسين', ['ysn']],
      ['یاسین', ['ysn']], // Persian yeh
      ['زهرا', ['zhr', 'zr']],
      ['هيوا', ['h', 'hw']],
      ['محمد', ['mhmd']],
      ['مدد', ['md']],
      ['عباس', ['abs']],
      ['ئاکۆ', ['ak']],
      ['ڤیان', ['vn']],
      ['شخص', ['shkhs']],
      ['ثذغ', ['thdhgh']],
      ['چژ', ['chzh']],
      ['حـداد', ['hd']], // tatweel, no letter
      ['بۇرا', ['br']], // a letter with no Latin reading
      ['ددد', ['d']],
    ];
    for (const [w, k] of cases) {
      expect(arabicSkeletons(w), w).toEqual(k);
      expect(arabicSkeletons(w), `${w} again`).toEqual(k);
    }
  });

  it('gives nothing for a word without Arabic letters', () => {
    expect(arabicSkeletons('٣٤٥')).toEqual([]);
    expect(arabicSkeletons('abc')).toEqual([]);
    expect(arabicSkeletons('')).toEqual([]);
  });
});

describe('redactVariants', () => {
  it('finds a name spelled out letter by letter, dotted, hyphenated or broken across a line', () => {
    expect(all('Spelled Y u s u f on the form.')).toBe('Spelled P1 on the form.');
    expect(all('Written Y.U.S.U.F. and H.A.D.D.A.D.')).toBe('Written P1. and P1.');
    expect(all('The guard told Had-\ndad to wait.')).toBe('The guard told P1 to wait.');
    expect(all('HIWA-BARZANI was moved.')).toBe('P2 was moved.');
    for (const s of ['Yu_suf', "Yu'suf", 'Yu\u2019suf', 'Yu/suf', 'Yu\u00B7suf', 'Yu\u2013suf', 'Yu \u2014 suf', 'Ba\nrzani', 'Ba.rzani']) {
      expect(all(`Seen ${s} there.`), s).toMatch(/^Seen P[12] there\.$/);
    }
  });

  it('finds two pieces of 3 letters or more apart, but not shorter pieces', () => {
    expect(all('Abdul Rahman came.')).toBe('P3 came.');
    expect(all('Abdul  Rahman came.')).toBe('P3 came.');
    expect(all('Abdulrah man came.')).toBe('P3 came.');
    expect(all('Yusuf  Haddad and Hiwa.')).toBe('P1 and P2.');
    for (const s of ['Abdulrahm an', 'Ab dulrahman', 'Ba rzani', 'Hi wa', 'Yusu f', 'Y usuf', 'Abdul-r Ahman', 'Yu,suf', 'Yu    suf', 'Abdul    Rahman']) {
      expect(all(`Seen ${s} there.`), s).toBe(`Seen ${s} there.`);
    }
  });

  it('finds names run together, the longest run first', () => {
    expect(all('Account by YusufHaddad.')).toBe('Account by P1.');
    expect(all('haddadyusuf signed nothing.')).toBe('P1 signed nothing.');
    expect(all('Yusuf Haddad')).toBe('P1');
    expect(all('Ali')).toBe('P3');
    expect(all('ali abdulrahman')).toBe('P3');
  });

  it('takes initials spelled out apart, not a two-letter word', () => {
    expect(all('signed Y H today')).toBe('signed P5 today');
    expect(all('signed y.h. today')).toBe('signed P5. today');
    expect(all('signed yh today')).toBe('signed yh today');
  });

  it('finds another transliteration of a Latin part of 5 letters or more', () => {
    expect(all('later Youssef was taken')).toBe('later P1 was taken');
    expect(all('mr. hadad was not fed')).toBe('mr. P1 was not fed');
    expect(all('yusef')).toBe('P1');
    expect(all('abdelrahman')).toBe('P3');
    expect(all('youssef1 and 1youssef')).toBe('youssef1 and 1youssef');
    const t = compileVariants([{ name: 'Zainab', replacement: 'P2' }, { name: 'Yahya', replacement: 'P1' }]);
    expect(redactVariants('zeinab and Yahia', t)).toBe('P2 and P1');
    // Four letters are too few to go by the shape: "nada" is a word, not Nadia.
    const nadia = compileVariants([{ name: 'Nadia', replacement: 'P6' }]);
    expect(redactVariants('Nadya and Naadia got nada', nadia)).toBe('P6 and P6 got nada');
  });

  it('finds a Latin-only name typed in Arabic letters, with or without attached prefixes', () => {
    expect(all('نقل بارزاني اليوم')).toBe('نقل P2 اليوم');
    expect(all('وبارزاني')).toBe('وP2');
    expect(all('عمر')).toBe('P4');
    expect(all('وعمر')).toBe('وP4');
    expect(all('العمر')).toBe('الP4');
    expect(all('٣٤٥ عمر')).toBe('٣٤٥ P4');
    expect(all('وال')).toBe('وال');
    expect(all('فبالعمر')).toBe('فبالP4');
    // Read after a prefix only when the word starts with it: يعمر ("he builds") is no name.
    expect(all('يعمر')).toBe('يعمر');
    // A word that starts like a prefix but leaves under 3 letters is read whole.
    expect(redactVariants('ولد', compileVariants([{ name: 'Lad', replacement: 'P1' }]))).toBe('ولد');
  });

  it('replaces what it finds in the original characters, whatever folding did to their number', () => {
    expect(all('Caf\u00e9 \uFB01ne: Youssef!')).toBe('Caf\u00e9 \uFB01ne: P1!');
    expect(all('Cafe\u0301 \uFB01ne: Y.U.S.U.F, then')).toBe('Cafe\u0301 \uFB01ne: P1, then');
    expect(all('\uFB01 بارزاني.')).toBe('\uFB01 P2.');
  });

  it('replaces an e-mail address holding a name part whole', () => {
    expect(all('mail yusuf.h@x.org today')).toBe('mail P1 today');
    expect(all('ali@x.org')).toBe('P3');
    expect(all('xxhaddad99@x.org')).toBe('P1');
    expect(all('yu5suf@x.org')).toBe('P1');
    expect(all('hiwabarzani@x.org')).toBe('P2');
    expect(all('info@x.org and bo@x.org')).toBe('info@x.org and bo@x.org');
    // A name in the domain is no name of the address's owner: the word alone is replaced.
    expect(all('info@haddad-law.org')).toBe('info@P1-law.org');
  });

  it('with splitOnly, finds only names split inside a word', () => {
    expect(split('Spelled Y u s u f.')).toBe('Spelled P1.');
    expect(split('Bar-zani and Ba.rzani')).toBe('P2 and P2');
    expect(split('x.y Had\ndad')).toBe('x.y P1');
    expect(split('y.h. and Y H')).toBe('P5. and P5');
    for (const s of ['Abdul Rahman', 'YusufHaddad', 'Youssef', 'بارزاني', 'mail yusuf.h@x.org', 'Ali', 'Had\ndad', 'Yu/suf', 'Yu \u2014 suf', 'Y.Hx', 'Yusuf Haddad, x.y']) {
      expect(split(s), s).toBe(s);
    }
  });

  it('leaves a text alone with an empty table, or an empty text', () => {
    const empty = compileVariants([]);
    expect(redactVariants('Yusuf Haddad youssef بارزاني', empty)).toBe('Yusuf Haddad youssef بارزاني');
    expect(all('')).toBe('');
    expect(all('Nothing to see here.')).toBe('Nothing to see here.');
  });
});
