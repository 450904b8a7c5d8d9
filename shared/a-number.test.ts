import { describe, expect, it } from 'vitest';
import { formatANumber, normalizeANumber } from './a-number';

describe('normalizeANumber', () => {
  it.each([
    ['A 012-345-678', '012345678'],
    ['12345678', '012345678'],
    ['a012345678', '012345678'],
    ['A#1234567', '001234567'],
    ['  012 345 678 ', '012345678'],
    ['  A 012-345-678', '012345678'], // the prefix after leading spaces (trim before the prefix)
  ])('normalises %s to nine digits', (raw, expected) => {
    expect(normalizeANumber(raw)).toEqual({ ok: true, value: expected });
  });

  // '1234A5678': an A is a prefix only at the start, never taken out of the middle.
  it.each(['A12B45678', 'twelve', '12-34-X678', '1234A5678', '12345678A'])('rejects an A-number with letters: %s', (raw) => {
    const r = normalizeANumber(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/only digits/);
  });

  it('rejects too few and too many digits, and empty input', () => {
    expect(normalizeANumber('123456')).toEqual({ ok: false, message: 'A-number must have 7 to 9 digits' });
    expect(normalizeANumber('1234567890')).toEqual({ ok: false, message: 'A-number must have 7 to 9 digits' });
    expect(normalizeANumber('  ')).toEqual({ ok: false, message: 'A-number is empty' });
    expect(normalizeANumber('A- ')).toEqual({ ok: false, message: 'A-number is empty' });
  });

  it('formats nine digits for display', () => {
    expect(formatANumber('012345678')).toBe('A012-345-678');
  });
});
