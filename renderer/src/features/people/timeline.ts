// How a person's timeline entry reads: the repository returns the facts, the page words them.
import type { z } from 'zod';
import type { TimelineEntry } from '../../../../shared/schemas';
import { INTERVIEW_MODE_LABELS } from '../../../../shared/vocab';

type Entry = z.infer<typeof TimelineEntry>;

/** The bold line: an interview's mode, or the start of an incident's summary. */
export function timelineTitle(t: Entry): string {
  if (t.interview) return `Interview (${INTERVIEW_MODE_LABELS[t.interview.mode].toLowerCase()})`;
  const s = t.summary ?? '';
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
}

/** The line under it: where and by whom, or the whole summary. */
export function timelineDetail(t: Entry): string {
  if (t.interview) return [t.interview.place, `by ${t.interview.interviewer}`].filter(Boolean).join(', ');
  return t.summary ?? '';
}
