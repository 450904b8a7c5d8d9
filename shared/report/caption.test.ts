import { describe, expect, it } from 'vitest';
import { caseLine, judgeLine, magistrateLine } from './caption';
import { Caption } from './definition';

describe('caption lines', () => {
  it('prints "Hon." once whatever was typed', () => {
    for (const typed of ['Mark A. Goldsmith', 'Hon. Mark A. Goldsmith', 'Honorable Mark A. Goldsmith', 'The Honorable Mark A. Goldsmith', 'hon mark a. goldsmith'.replace('mark a. goldsmith', 'Mark A. Goldsmith')]) {
      expect(judgeLine(typed), typed).toBe('Hon. Mark A. Goldsmith');
    }
    expect(judgeLine('')).toBe('');
    expect(judgeLine('Honeycutt')).toBe('Hon. Honeycutt');
  });
  it('prints "Magistrate Judge" once', () => {
    for (const typed of ['David R. Grand', 'Magistrate Judge David R. Grand', 'Hon. David R. Grand', 'U.S. Magistrate Judge David R. Grand', 'Hon. Magistrate Judge David R. Grand']) {
      expect(magistrateLine(typed), typed).toBe('Magistrate Judge David R. Grand');
    }
  });
  it('joins the case name and number without a doubled comma', () => {
    const c = Caption.parse({ court: 'X', caseName: 'HAMAMA, et al.,', caseNumber: 'No. 1' });
    expect(caseLine(c)).toBe('HAMAMA, et al., No. 1');
  });
});
