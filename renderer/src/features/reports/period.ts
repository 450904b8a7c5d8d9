// The period a new report definition starts with: the last whole month, the usual status-report span.

/** First and last day of the month before `today` (YYYY-MM-DD). */
export function lastMonth(today: string): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(y, m - 2, 1));
  const end = new Date(Date.UTC(y, m - 1, 0));
  return { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10) };
}

/**
 * What the preview says while the definition is not complete: the fields still to fill, by their
 * labels, rather than the contract's paths ("definition.caption.caseName: Case name is required").
 */
export function previewNote(
  error: { message: string; issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  what = 'the preview',
): string {
  const fields = error.issues.filter((i) => i.path.length > 0);
  if (!fields.length) return error.message;
  const said = [...new Set(fields.map((i) => i.message.replace(/ is required$/, '')))];
  const missing = fields.every((i) => / is required$/.test(i.message));
  return missing ? `To see ${what}, fill in: ${said.join(', ')}.` : `${what[0]!.toUpperCase()}${what.slice(1)} waits for: ${said.join('; ')}.`;
}
