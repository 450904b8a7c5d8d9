// The redaction review of a definition's public exhibit: the public model as automatic redaction
// leaves it, compared text by text with the sealed model of the same definition, against what the
// office's records and the vocabulary say is safe to show.
import { reviewSafeNames } from '../../db/repo/review-safe-list';
import type { Db } from '../../db/driver';
import type { ReportDefinition } from '../../shared/report/definition';
import { buildReportFrame, type BuildInput, type LogRow } from '../../shared/report/model';
import type { ReportKeySource, ReportSource, ReportSourceRow } from '../../shared/report/source';
import { reviewTexts, reviewTextsOf, type ReportReview, type SafeList } from '../../shared/report/review';
import { CATEGORIES, DOCUMENT_KIND_LABELS, OPERATOR_LABELS, STANDARD_LABELS } from '../../shared/vocab';

/** Vocabulary, caption and signature words: an exhibit's own furniture. */
function definitionWords(d: ReportDefinition, officeName: string): string[] {
  const c = d.caption;
  return [
    ...Object.values(CATEGORIES).flatMap((x) => [x.label, x.standard, x.code]),
    ...Object.values(DOCUMENT_KIND_LABELS),
    ...Object.values(OPERATOR_LABELS),
    ...Object.values(STANDARD_LABELS),
    c.court,
    c.division,
    c.caseName,
    c.caseNumber,
    ...c.parties,
    d.exhibitLabel,
    officeName,
    d.signature.firm,
    ...d.signature.address,
  ];
}

export function safeListFor(db: Db, input: Pick<BuildInput, 'definition' | 'settings'>): SafeList {
  const d = input.definition;
  const names = reviewSafeNames(db, { from: d.periodFrom, to: d.periodTo });
  const c = d.caption;
  return {
    words: [...names.words, ...definitionWords(d, input.settings.officeName)],
    // Standards as whole phrases: "8 CFR 240.25" is a citation, "240.25" alone a number to look at.
    phrases: [...names.phrases, ...Object.values(CATEGORIES).map((x) => x.standard), c.judge, c.magistrateJudge, d.signature.attorney].filter(Boolean),
    period: { from: d.periodFrom, to: d.periodTo },
  };
}

/** Paragraphs of a typed method note, split as the model splits them. */
function userParagraphs(note: string): number {
  return note.split(/\n\s*\n/).filter((p) => p.trim()).length;
}

/** A report's input whose incidents are whole rows, or key rows whose texts are read on demand. */
export type ReviewInput = Omit<BuildInput, 'source'> & { source: ReportSource | ReportKeySource };

/**
 * The review of the definition's public exhibit (whatever profile the definition is set to): the
 * public and the sealed log rows built side by side, a chunk at a time, and compared pair by pair,
 * so no whole log of either is held.
 */
export function reviewReport(db: Db, input: ReviewInput): ReportReview {
  const d = input.definition;
  const src = input.source;
  const source: ReportKeySource = 'load' in src ? src : { ...src, load: (keys) => keys as ReportSourceRow[] };
  const frameOf = (profile: 'public' | 'sealed') => buildReportFrame({ ...input, source, definition: { ...d, profile } });
  const pub = frameOf('public');
  const sealed = frameOf('sealed');
  function* pairs(): Generator<[LogRow | undefined, LogRow]> {
    const s = sealed.rows();
    for (const r of pub.rows()) {
      const raw = s.next();
      // Both frames choose and order the same incidents: a pair that differs is a bug, not a review.
      if (raw.done || raw.value.incidentId !== r.incidentId) throw new Error(`review: the sealed and public logs differ at ${r.rowId}`);
      yield [raw.value, r];
    }
  }
  return reviewTexts(reviewTextsOf(sealed.model, pub.model, userParagraphs(d.methodNote), pairs()), safeListFor(db, input), d.review ?? []);
}
