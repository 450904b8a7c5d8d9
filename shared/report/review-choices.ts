import type { ReviewDecision } from './definition';

// The review choices alone, with no word lists: the report builder reads them as the user clicks.

/** A paralegal's "redact by hand" puts this in place of the span, in every format. */
export const HAND_REDACTED = '[redacted]';

/** The choice that applies to a span: one made for this place, else one made for every place ("*"). */
export function decisionIndex(decisions: readonly ReviewDecision[]): (at: string, text: string) => ReviewDecision['choice'] | null {
  const here = new Map<string, ReviewDecision['choice']>();
  const everywhere = new Map<string, ReviewDecision['choice']>();
  for (const d of decisions) (d.at === '*' ? everywhere : here).set(d.at === '*' ? d.text : `${d.at}\u0000${d.text}`, d.choice);
  return (at, text) => here.get(`${at}\u0000${text}`) ?? everywhere.get(text) ?? null;
}
