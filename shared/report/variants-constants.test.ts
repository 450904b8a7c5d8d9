// What variants.ts's module constants decide (the Arabic-Latin table, the gaps and signs of a split
// name). Stryker cannot switch on a mutant in code run when a module loads (see README, Mutation
// testing), so these cases were checked by hand against each constant changed; they stay out of
// the mutation group, which would only count them as static.
import { describe, expect, it } from 'vitest';
import { arabicSkeletons, compileVariants, redactVariants } from './variants';

describe('variants.ts constants', () => {
  it('reads the Kurdish letters folding would take first as the same consonants', () => {
    expect(arabicSkeletons('گوڵ')).toEqual(['gl', 'gwl']);
    expect(arabicSkeletons('زۀر')).toEqual(['zr']);
  });

  it('looks for a split name after a hyphen with or without a line break, and letters spaced by two', () => {
    const t = compileVariants([{ name: 'Yusuf Haddad', replacement: 'P1' }]);
    expect(redactVariants('Had-dad', t, true)).toBe('P1');
    expect(redactVariants('Had-\ndad', t, true)).toBe('P1');
    expect(redactVariants('Y  u  s  u  f', t, true)).toBe('P1');
    expect(redactVariants('Y. u. s. u. f', t, true)).toBe('P1');
  });
});
