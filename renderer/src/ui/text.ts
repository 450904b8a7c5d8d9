// Sorting and direction helpers shared by every list. One collator for the whole app, so Latin and
// Arabic names order the same way everywhere (case and diacritics ignored, digits numeric).
const collator = new Intl.Collator(['en', 'ar'], { sensitivity: 'base', numeric: true, ignorePunctuation: true });

export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

export type SortValue = string | number | boolean | null | undefined;

/** Orders two sort values; empty values always go last, whatever the direction. */
export function compareValues(a: SortValue, b: SortValue): number {
  const ea = a === null || a === undefined || a === '';
  const eb = b === null || b === undefined || b === '';
  if (ea || eb) return ea === eb ? 0 : ea ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return compareText(String(a), String(b));
}

const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/** True when the text starts (ignoring neutrals) with a right-to-left letter. */
export function isRtl(text: string | null | undefined): boolean {
  if (!text) return false;
  for (const ch of text) {
    if (RTL_CHAR.test(ch)) return true;
    if (/\p{L}/u.test(ch)) return false;
  }
  return false;
}

/**
 * Spread on a Mantine text input or textarea: Mantine puts a plain `dir` on the wrapper, so the
 * direction must reach the input element itself for Arabic to start at the right edge.
 */
export const BIDI = { attributes: { input: { dir: 'auto' } } } as const;
