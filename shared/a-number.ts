// Alien registration numbers ("A-numbers") are written many ways: "A 012-345-678", "A12345678",
// "12345678". We store nine digits, zero-padded, so the same person is found however it was typed.

export type ANumberResult = { ok: true; value: string } | { ok: false; message: string };

export function normalizeANumber(raw: string): ANumberResult {
  const trimmed = raw.trim();
  const withoutPrefix = trimmed.replace(/^a[\s#:.-]*/i, '');
  const compact = withoutPrefix.replace(/[\s.-]/g, '');
  if (compact.length === 0) return { ok: false, message: 'A-number is empty' };
  if (!/^\d+$/.test(compact)) {
    return { ok: false, message: 'A-number may contain only digits (with an optional leading "A")' };
  }
  if (compact.length < 7 || compact.length > 9) {
    return { ok: false, message: 'A-number must have 7 to 9 digits' };
  }
  return { ok: true, value: compact.padStart(9, '0') };
}

/** Display form: A012-345-678. */
export function formatANumber(nineDigits: string): string {
  return `A${nineDigits.slice(0, 3)}-${nineDigits.slice(3, 6)}-${nineDigits.slice(6)}`;
}
