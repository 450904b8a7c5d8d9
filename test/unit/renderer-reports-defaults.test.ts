import { describe, expect, it } from 'vitest';
import { lastMonth, previewNote } from '../../renderer/src/features/reports/period';

describe('a new report definition', () => {
  it('covers last month, across a year end and a leap February', () => {
    expect(lastMonth('2026-12-06')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(lastMonth('2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(lastMonth('2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('says which fields the preview waits for by their labels, not the contract path', () => {
    const note = previewNote({
      message: 'definition.caption.caseName: Case name is required',
      issues: [{ path: ['definition', 'caption', 'caseName'], message: 'Case name is required' }],
    });
    expect(note).toBe('To see the preview, fill in: Case name.');
    expect(note).not.toMatch(/definition\./);
  });
});
