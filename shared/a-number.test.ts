import { describe, expect, it } from 'vitest';
import { formatANumber, normalizeANumber } from './a-number';

describe('normalizeANumber', () => {
  it.each([
    ['A 012-345-678', '012345678'],
    ['12345678', '012345678'],
    ['a012345678', '012345678'],
    ['A#1234567', '001234567'],
    ['  012 345 678 ', '012345678'],
  ])('normalises %s to nine digits', (raw, expected) => {
    expect(normalizeANumber(raw)).toEqual({ ok: true, value: expected });
  });

  it.each(['A12B45678', 'twelve', '12-34-X678'])('rejects an A-number with letters: %s', (raw) => {
    const r = normalizeANumber(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/only digits/);
  });

  it('rejects too few and too many digits, and empty input', () => {
    expect(normalizeANumber('123456').ok).toBe(false);
    expect(normalizeANumber('1234567890').ok).toBe(false);
    expect(normalizeANumber('  ').ok).toBe(false);
  });

  it('formats nine digits for display', () => {
    expect(formatANumber('012345678')).toBe('A012-345-678');
  });
});
