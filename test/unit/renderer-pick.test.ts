import { describe, expect, it } from 'vitest';
import type { ComboboxParsedItem } from '@mantine/core';
import { CATEGORY_SYNONYMS, categoryOptions, optionRank, searchFilter, stateOptions } from '../../renderer/src/ui/pick';
import { emptyIncident, incidentInput, incidentToValues, monthOf, withMonth, withPrecision } from '../../renderer/src/features/incidents/incident-values';

const found = (options: { value: string; label: string }[], search: string, words?: Record<string, string>) =>
  searchFilter(words)({ options: options as ComboboxParsedItem[], search, limit: Infinity }).map((o) => ('value' in o ? o.value : ''));

describe('choosing by typing', () => {
  it('finds a category by a word people use for it, by its label and by its code', () => {
    expect(found(categoryOptions(), 'food', CATEGORY_SYNONYMS)).toEqual(['FOOD']);
    expect(found(categoryOptions(), 'meals', CATEGORY_SYNONYMS)).toEqual(['FOOD']);
    expect(found(categoryOptions(), 'insulin', CATEGORY_SYNONYMS)).toEqual(['MEDICAL']);
    expect(found(categoryOptions(), 'COERCED_DEPARTURE', CATEGORY_SYNONYMS)[0]).toBe('COERCED_DEPARTURE');
    expect(found(categoryOptions(), 'withheld', CATEGORY_SYNONYMS)).toEqual(['FOOD', 'WATER']);
  });

  it('puts the state whose code was typed first, and finds a state by name', () => {
    expect(found(stateOptions(), 'MI')[0]).toBe('MI');
    expect(found(stateOptions(), 'mich')).toEqual(['MI']);
    expect(found(stateOptions(), 'new')[0]).toBe('NH');
    expect(optionRank({ value: 'MI', label: 'MI — Michigan' }, 'zz')).toBeNull();
  });
});

describe('date precision', () => {
  const typed = { ...emptyIncident('F'), occurredOn: '2026-06-20', occurredUntil: '2026-06-24' };
  it('keeps the day typed when the precision goes to Month only and on to Approximate', () => {
    const month = withPrecision(typed, 'month');
    expect(monthOf(month.occurredOn)).toBe('2026-06');
    expect(incidentInput(month)).toMatchObject({ occurredOn: '2026-06-01', occurredUntil: '2026-06-30', datePrecision: 'month' });
    const approx = withPrecision(month, 'approximate');
    expect(approx.occurredOn).toBe('2026-06-20');
    expect(incidentInput(approx)).toMatchObject({ occurredOn: '2026-06-20', occurredUntil: '2026-06-24', datePrecision: 'approximate' });
  });
  it('a month typed keeps the day the form held, within the month', () => {
    expect(withMonth('2026-06-20', '2026-08')).toBe('2026-08-20');
    expect(withMonth('2026-01-31', '2026-02')).toBe('2026-02-28');
    expect(withMonth('', '2026-02')).toBe('2026-02');
  });
  it('reads a stored month back as its first day, shown as the month', () => {
    const stored = incidentInput({ ...withPrecision(typed, 'month') });
    const v = incidentToValues({ ...stored, personId: 'P', interviewId: null, id: 'I', version: 1, createdAt: '', updatedAt: '', deletedAt: null, ownWords: null, corroboration: null } as never);
    expect(monthOf(v.occurredOn)).toBe('2026-06');
  });
});
