// The redaction review of a definition's public exhibit: the public model as automatic redaction
// leaves it, compared text by text with the sealed model of the same definition, against what the
// office's records and the vocabulary say is safe to show.
import { reviewSafeNames } from '../../db/repo/review-safe-list';
import type { Db } from '../../db/driver';
import type { ReportDefinition } from '../../shared/report/definition';
import { buildAutoRedactedModel, type BuildInput } from '../../shared/report/model';
import { modelReviewTexts, reviewTexts, type ReportReview, type SafeList } from '../../shared/report/review';
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

export function safeListFor(db: Db, input: BuildInput): SafeList {
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

/** The review of the definition's public exhibit (whatever profile the definition is set to). */
export function reviewReport(db: Db, input: BuildInput): ReportReview {
  const d = input.definition;
  const pub = buildAutoRedactedModel({ ...input, definition: { ...d, profile: 'public' } });
  const sealed = buildAutoRedactedModel({ ...input, definition: { ...d, profile: 'sealed' } });
  return reviewTexts(modelReviewTexts(sealed, pub, userParagraphs(d.methodNote)), safeListFor(db, input), d.review ?? []);
}
