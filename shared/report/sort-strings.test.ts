import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortStrings } from './sort-strings';

describe('sortStrings', () => {
  it('orders like sort() whatever the strings: ids of one length, mixed lengths, any characters', () => {
    const id = fc.constantFrom('01J', 'INT00000', '01K').chain((prefix) => fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'), minLength: 4, maxLength: 4 }).map((s) => prefix + s));
    const lists = fc.oneof(
      fc.array(id, { minLength: 250, maxLength: 1200 }),
      fc.array(fc.string({ unit: 'binary', minLength: 3, maxLength: 3 }), { minLength: 250, maxLength: 600 }),
      fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 600 }),
    );
    fc.assert(
      fc.property(lists, (values) => {
        expect(sortStrings(values)).toEqual([...values].sort());
      }),
      { numRuns: 200 },
    );
  });

  it('sorts ULID-like record ids with a long shared prefix and leaves its input alone', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `INT${String((i * 7919) % 3000).padStart(23, '0')}`);
    const copy = [...ids];
    expect(sortStrings(ids)).toEqual([...ids].sort());
    expect(ids).toEqual(copy);
  });
});

describe('codes in the sealed key', () => {
  it('go in numeric order: CM-103 before CM-1005, filing codes before witness codes', async () => {
    const { compareCodes } = await import('./model');
    expect(['CM-1005', 'W-02', 'CM-103', 'CM-099', 'W-10', 'CM-1000', 'W-9'].sort(compareCodes)).toEqual(['CM-099', 'CM-103', 'CM-1000', 'CM-1005', 'W-02', 'W-9', 'W-10']);
  });
});
