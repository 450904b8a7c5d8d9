import { describe, expect, it } from 'vitest';
import { isLongText, wordChanges } from '../../renderer/src/ui/history-viewer';
import { formatField, formatMinutes, INCIDENT_FIELDS } from '../../renderer/src/ui/labels';

describe('record history', () => {
  it('shows a long text change word by word: what was removed, what was added, the rest kept', () => {
    const before = 'Held in the intake room for twelve hours without water or a blanket.';
    const after = 'Held in the intake room for fourteen hours without water, food or a blanket.';
    expect(isLongText(before, after)).toBe(true);
    const parts = wordChanges(before, after);
    expect(parts.filter((p) => p.removed).map((p) => p.text.trim())).toEqual(expect.arrayContaining(['twelve']));
    expect(parts.filter((p) => p.added).map((p) => p.text.trim())).toEqual(expect.arrayContaining(['fourteen']));
    expect(parts.filter((p) => !p.added && !p.removed).map((p) => p.text).join('')).toContain('Held in the intake room for ');
    // Reading the parts back gives each side whole.
    expect(parts.filter((p) => !p.added).map((p) => p.text).join('')).toBe(before);
    expect(parts.filter((p) => !p.removed).map((p) => p.text).join('')).toBe(after);
    expect(isLongText('Exact day', 'Month only')).toBe(false);
  });

  it('names a duration in its units under a label without one, and an interview by name, never its id', () => {
    expect(INCIDENT_FIELDS.deprivationMinutes).toBe('Deprivation lasted');
    expect(formatMinutes(720)).toBe('12 hours');
    expect(formatMinutes(90)).toBe('1 hour 30 minutes');
    const id = '01JGFJQGG8PHV8ZW1X40ERAXZ8';
    const fmt = formatField((x) => (x === id ? 'Interview of 2026-06-20 (In person), Dana Whitfield' : undefined));
    expect(fmt('interviewId', id)).toBe('Interview of 2026-06-20 (In person), Dana Whitfield');
  });
});
