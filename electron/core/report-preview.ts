// The builder's live preview: Table 1 and the exclusions counted by the database (a GROUP BY over
// the period's incidents), and only the log rows shown read, built and redacted, by the one model
// the exports use (shared/report/model.ts). Nothing is kept between calls but the redactor, which
// is made again whenever what it is made from differs (people, the chosen rows' witnesses, the
// profile, the office's settings, the day), so the first preview after any write costs what a
// repeat costs unless a person changed.
import { loadReportKeys, loadReportPreview } from '../../db/repo/report-source';
import type { Db } from '../../db/driver';
import type { OfficeSettings } from '../../shared/report/definition';
import { renderHtml } from '../../shared/report/html';
import { buildPreviewFrame, buildReportFrame, redactorFor, selectSorted, type PreviewFrame, type Redactor, type ReportFrame, type SummaryCell } from '../../shared/report/model';
import { applyReviewDecisions } from '../../shared/report/review';
import { officeSettings, openConflictsIn, type ResolvedDefinition } from './report-export';

/** The last redactor made, per connection, and what it was made from. */
const redactors = new WeakMap<Db, { key: string; redact: Redactor }>();

/** The frame of the preview: from the database's counts and first rows, or (rarely) from every key row. */
export function previewFrame(db: Db, r: ResolvedDefinition, settings: OfficeSettings, generatedAt: string, appVersion: string, logRows: number): PreviewFrame {
  const d = r.definition;
  const on = generatedAt.slice(0, 10);
  const src = loadReportPreview(db, d, logRows);
  if (!src.first) return previewFromKeyRows(db, r, settings, generatedAt, appVersion);
  // The redactor over the whole selection: everyone's names, and the witnesses of the chosen rows
  // in the log's order (their codes are numbered in it); the rows without witnesses add nothing.
  const witnessRows = selectSorted({ rows: src.witnessRows }, d);
  const key = JSON.stringify([d.profile, settings, on, src.people, witnessRows.map((w) => w.witnesses)]);
  let made = redactors.get(db);
  if (!made || made.key !== key) {
    made = { key, redact: redactorFor(d.profile, settings, src, witnessRows, on) };
    redactors.set(db, made);
  }
  return buildPreviewFrame({ groups: src.groups, first: src.first, load: src.load, redact: made.redact, holds: src.holds, definition: d, settings, generatedAt, appVersion, definitionId: r.definitionId });
}

/**
 * The same frame from a key row of every incident of the period, ordered here: what the preview did
 * before the database counted, kept for the order the database cannot give (and as the bench's
 * baseline).
 */
export function previewFromKeyRows(db: Db, r: ResolvedDefinition, settings: OfficeSettings, generatedAt: string, appVersion: string): ReportFrame {
  const source = loadReportKeys(db, { from: r.definition.periodFrom, to: r.definition.periodTo });
  return buildReportFrame({ source, countsOnly: true, definition: r.definition, settings, generatedAt, appVersion, definitionId: r.definitionId });
}

/**
 * The builder's live preview: counts, exclusions and Table 1 over every incident of the definition;
 * the log's first `logRows` rows built, redacted and reviewed as an export would, and laid out as
 * the exhibit's HTML.
 */
export function previewReport(db: Db, r: ResolvedDefinition, generatedAt: string, appVersion: string, logRows: number, frameOf: typeof previewFrame = previewFrame) {
  const frame = frameOf(db, r, officeSettings(db), generatedAt, appVersion, logRows);
  const shown = { ...frame.model, log: { ...frame.model.log, rows: [...frame.rows(0, logRows)] } };
  const model = shown.profile === 'public' ? applyReviewDecisions(shown, r.definition.review ?? []) : shown;
  // Counts only: the incidents behind a count are asked for when a count is clicked (reports:cell),
  // and the HTML leaves them out of its cells too.
  const s = model.summary;
  const bare = (c: SummaryCell): SummaryCell => ({ count: c.count, incidentIds: [], rowIds: [] });
  const summary = { ...s, rows: s.rows.map((x) => ({ ...x, cells: x.cells.map(bare), total: bare(x.total) })), totals: s.totals.map(bare), grandTotal: bare(s.grandTotal) };
  const count = (c: SummaryCell) => ({ count: c.count });
  return {
    html: renderHtml({ ...model, summary }),
    incidents: frame.count,
    logRowsShown: model.log.rows.length,
    exclusions: model.exclusions,
    conflicts: openConflictsIn(db, frame.holds),
    summary: {
      categories: s.categories.map((c) => ({ code: c.code, label: c.label, short: c.short })),
      rows: s.rows.map((x) => ({ facilityId: x.facilityId, facility: x.facility, cells: x.cells.map(count), total: count(x.total) })),
      totals: s.totals.map(count),
      grandTotal: count(s.grandTotal),
    },
  };
}
