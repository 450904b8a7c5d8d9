// An independent reader of exported text, for leak tests: it shares no code with the redactor. It
// reads the text as a person would see it (NFKC, invisible characters gone, case, accents, Arabic
// marks and letter variants, Cyrillic and Greek look-alikes folded) and looks for names, A-numbers
// and birth dates in it.

const LOOKALIKE: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', һ: 'h', ԁ: 'd', к: 'k', м: 'm', н: 'h', т: 't', в: 'b',
  α: 'a', ο: 'o', ρ: 'p', υ: 'u', ν: 'v', ι: 'i', κ: 'k', τ: 't', χ: 'x', ε: 'e', η: 'n', γ: 'y', ω: 'w',
};
const CAPITAL_LOOKALIKE: Record<string, string> = { Η: 'h', Ν: 'n', Μ: 'm', Ρ: 'p', Χ: 'x', Υ: 'y', Β: 'b', Ε: 'e', Ζ: 'z', Ι: 'i', Κ: 'k', Τ: 't', Α: 'a', Ο: 'o' };
const ARABIC_VARIANTS: Record<string, string> = { أ: 'ا', إ: 'ا', آ: 'ا', ٱ: 'ا', ة: 'ه', ى: 'ي', ی: 'ي', ێ: 'ي', ئ: 'ي', ؤ: 'و', ۆ: 'و', ک: 'ك', ە: 'ه', ھ: 'ه', ڵ: 'ل', ڕ: 'ر' };

const FOLD = new Map<string, string>([...Object.entries(LOOKALIKE), ...Object.entries(ARABIC_VARIANTS)]);

/** What a reader sees, folded for comparison. */
export function readerText(s: string): string {
  if (/^[ -~]*$/.test(s)) return s.toLowerCase();
  let t = s.normalize('NFKC').replace(/[\p{Cf}\p{Cc}]/gu, (c) => (c === '\n' || c === '\t' ? ' ' : ''));
  t = t.replace(/[ΗΝΜΡΧΥΒΕΖΙΚΤΑΟ]/g, (c) => CAPITAL_LOOKALIKE[c] ?? c);
  t = t.toLowerCase().normalize('NFKD').replace(/[\p{M}\u0640]/gu, '');
  return t.replace(/[^ -~]/g, (c) => FOLD.get(c) ?? c);
}

/** Letters only: what is left when spaces, dots, hyphens and line breaks between letters are ignored. */
export function squeezed(s: string): string {
  return readerText(s).replace(/[^\p{L}]/gu, '');
}

const digitValue = new Map<string, string>();

/** Digits of every script as ASCII, everything else dropped. */
export function digitsOf(s: string): string {
  if (!/[^\d]/.test(s.replace(/[^\p{Nd}]/gu, ''))) return s.replace(/[^0-9]/g, '');
  let out = '';
  for (const m of s.matchAll(/\p{Nd}/gu)) {
    const c = m[0];
    let v = digitValue.get(c);
    if (v === undefined) {
      const code = c.codePointAt(0)!;
      let zero = code;
      while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1)) && code - zero < 9) zero--;
      v = String((code - zero) % 10);
      digitValue.set(c, v);
    }
    out += v;
  }
  return out;
}

export interface Secret {
  /** Name parts (3 letters or more) and full names, in any script. */
  names: string[];
  /** A-number, nine digits. */
  aNumber?: string;
  /** ISO birth date. */
  birthDate?: string;
}

/**
 * Every way the secret shows in the text: a name part as a word (bounded by non-letters), a full
 * name with whatever between its letters, the A-number's digits in a row of digits, and the birth
 * date's day and month next to its year.
 */
export function leaksIn(text: string, s: Secret): string[] {
  const seen = readerText(text);
  const sq = squeezed(text);
  const out: string[] = [];
  for (const n of s.names) {
    const f = readerText(n);
    const parts = f.split(/[^\p{L}]+/u).filter((p) => p.length >= 3);
    for (const p of parts) if (new RegExp(`(?<!\\p{L})${p}(?!\\p{L})`, 'u').test(seen)) out.push(p);
    const whole = f.replace(/[^\p{L}]/gu, '');
    if (whole.length >= 7 && sq.includes(whole)) out.push(whole);
  }
  // Digits a reader would read as one number: those with no letter between them.
  const numberRuns = text.normalize('NFKC').split(/\p{L}+/u).map(digitsOf);
  if (s.aNumber) {
    const a = s.aNumber.replace(/^0/, '');
    if (numberRuns.some((r) => r.includes(a))) out.push(s.aNumber);
  }
  if (s.birthDate) {
    const [y = '', m = '', d = ''] = s.birthDate.split('-');
    const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
    const mon = months[Number(m) - 1]!.slice(0, 3);
    const dn = String(Number(d));
    if (numberRuns.some((r) => r.includes(`${y}${m}${d}`) || r.includes(`${m}${d}${y}`) || r.includes(`${d}${m}${y}`))) out.push(s.birthDate);
    const ascii = seen.replace(/[\p{Nd}]/gu, (c) => digitsOf(c));
    const yr = `(?:${y}|'?${y.slice(2)})(?!\\d)`;
    const near = new RegExp(
      `(?<!\\d)0?${dn}(?:st|nd|rd|th)?\\W{0,6}(?:of\\W+)?${mon}\\w*\\W{1,6}${yr}|${mon}\\w*\\W{0,6}(?:the\\W+)?0?${dn}(?:st|nd|rd|th)?\\W{1,6}${yr}|(?<!\\d)0?${Number(m)}\\W{1,3}0?${dn}\\W{1,3}${yr}|(?<!\\d)0?${dn}\\W{1,3}0?${Number(m)}\\W{1,3}${yr}`,
      'u',
    );
    if (near.test(ascii)) out.push(s.birthDate);
  }
  return out;
}
