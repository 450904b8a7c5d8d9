// Invisible characters: what input strips, and what no exported text keeps. A name split by a
// zero-width space, a soft hyphen or a directional override reads whole on the page while a
// matcher sees two words (or a reversed one), so exports carry none of them.

const FORMAT_OR_CONTROL = /[\p{Cf}\p{Cc}]/u;
const PLAIN = /^[ -~\t\n]*$/;

/**
 * Whether a character shows nothing: format characters (zero-width space, joiners, word joiner,
 * soft hyphen, BOM, directional marks, embeddings, overrides and isolates, invisible operators,
 * tags), controls, the combining grapheme joiner, variation selectors, Mongolian free variation
 * selectors and the Hangul fillers that render blank.
 */
export function isInvisible(cp: number): boolean {
  if (cp < 0xa0) return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
  if (cp === 0x034f || cp === 0x115f || cp === 0x1160 || cp === 0x3164 || cp === 0xffa0) return true;
  if ((cp >= 0x180b && cp <= 0x180f) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return true;
  if (cp > 0xffff) return FORMAT_OR_CONTROL.test(String.fromCodePoint(cp));
  // Exhibits repeat the same few letters: each BMP character is tested once (1 yes, 2 no).
  let k = bmpInvisible[cp]!;
  if (k === 0) {
    k = FORMAT_OR_CONTROL.test(String.fromCharCode(cp)) ? 1 : 2;
    bmpInvisible[cp] = k;
  }
  return k === 1;
}
const bmpInvisible = new Uint8Array(0x10000);

/** The text without invisible characters, tab and newline kept. */
function dropInvisible(t: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < t.length; i++) {
    const cp = t.codePointAt(i)!;
    const wide = cp > 0xffff;
    if (cp !== 9 && cp !== 10 && isInvisible(cp)) {
      out += t.slice(from, i);
      from = i + (wide ? 2 : 1);
    }
    if (wide) i++;
  }
  return from === 0 ? t : out + t.slice(from);
}

/**
 * A text as every export writes it: line breaks as \n, invisible characters removed, then NFKC
 * (full-width and compatibility forms become plain letters and digits). Idempotent.
 */
export function exportText(s: string): string {
  if (PLAIN.test(s)) return s;
  let t = s.replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n');
  // A right-to-left override shows its letters reversed: keep them in the order a reader sees,
  // so "\u202Edaddah" is matched (and shown) as the "haddad" it displays.
  if (t.includes('\u202E')) t = t.replace(/\u202E([^\u202C\u202D\u2069\n]*)/g, (_, inner: string) => [...inner].reverse().join(''));
  // NFKC after the removal, so letters an invisible character kept apart compose; then again, so
  // the result is the same whatever order (idempotent).
  return dropInvisible(dropInvisible(t).normalize('NFKC'));
}

/** Whether a text holds anything visible: letters, digits, punctuation or symbols. */
export function hasVisible(s: string): boolean {
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (!isInvisible(cp) && !/[\s\p{M}\u2800]/u.test(c)) return true;
  }
  return false;
}

// Scripts written right to left: only there may a directional mark carry meaning.
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// Joiners carry meaning between two letters of a joining script (Persian ZWNJ) or inside an emoji sequence.
const JOINERS = /[\u200C\u200D]/g;
const JOINING_NEIGHBOUR = /\p{Script=Arabic}|\p{Script=Syriac}|\p{Script=Devanagari}|\p{Script=Bengali}|\p{Script=Sinhala}|\p{Script=Malayalam}|\p{Script=Tamil}|\p{Script=Myanmar}|\p{Script=Khmer}|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F/u;
// Always meaningless in a record: controls but tab, newline and carriage return; zero-width space,
// word joiner, soft hyphen, BOM, invisible operators, deprecated format controls, interlinear
// annotation, the combining grapheme joiner and blank Hangul fillers.
function never(cp: number): boolean {
  if (cp < 0xa0) return (cp < 0x20 && cp !== 9 && cp !== 10 && cp !== 13) || cp >= 0x7f;
  return (
    cp === 0xad || cp === 0x034f || cp === 0x115f || cp === 0x1160 || cp === 0x180e || cp === 0x200b || (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x206a && cp <= 0x206f) || cp === 0x3164 || cp === 0xfeff || cp === 0xffa0 || (cp >= 0xfff9 && cp <= 0xfffb)
  );
}

/**
 * A typed text with the invisible characters that mean nothing removed: directional marks stay
 * only in text with right-to-left script, joiners only between letters of a joining script or
 * inside an emoji sequence. Everything else invisible goes.
 */
export function cleanInput(s: string): string {
  if (!/[^ -~\t\n\r]/.test(s)) return s;
  let t = '';
  for (const c of s) if (!never(c.codePointAt(0)!)) t += c;
  if (!RTL.test(t)) t = t.replace(BIDI, '');
  t = t.replace(JOINERS, (c, i: number) => {
    const before = String.fromCodePoint(t.codePointAt(i - 1 >= 0 && /[\uDC00-\uDFFF]/.test(t[i - 1]!) ? i - 2 : i - 1) ?? 0x20);
    const after = String.fromCodePoint(t.codePointAt(i + 1) ?? 0x20);
    return JOINING_NEIGHBOUR.test(before) && JOINING_NEIGHBOUR.test(after) ? c : '';
  });
  return t;
}
