import type { BundlePart } from './bundle';
import type { BatesSettings, ReportDefinition, ReviewDecision } from './definition';
import type { ReportModel } from './model';
import type { ReviewCounts } from './review';

// What was filed: the definition, the app version, the generation time, every record in the
// exhibit, and the SHA-256 of every file written, so a file can later be checked against it.

export interface ManifestFile {
  name: string;
  format: string;
  bytes: number;
  sha256: string;
}

export interface ExportManifest {
  kind: 'attest-export-manifest';
  exhibitLabel: string;
  title: string;
  profile: ReportModel['profile'];
  appVersion: string;
  generatedAt: string;
  definitionId: string | null;
  definition: ReportDefinition;
  period: { from: string; to: string };
  counts: { incidents: number; excluded: { reason: string; count: number }[] };
  recordIds: ReportModel['recordIds'];
  rows: { rowId: string; incidentId: string }[];
  cells: { facilityId: string; category: string; incidentIds: string[] }[];
  files: ManifestFile[];
  /** Public exhibits: the redaction review's counts and every choice the paralegal made. */
  review: { counts: ReviewCounts; decisions: ReviewDecision[] } | null;
  /**
   * The audit chain's tip (last entry and its hash) when the export was made: a copy of the history's
   * end kept with the filed exhibit, where a later rewrite of the database cannot reach it.
   */
  history?: { seq: number; hash: string };
  /**
   * Every record the exhibit was built from, pinned: its version and content hash in the history
   * (the audit log) when the export was made, so a later change to any of them shows.
   */
  records?: { entity: string; id: string; version: number; contentHash: string }[];
  /** Records exported with open conflicts (several heads; kind 'code': a filing code given to `heads` people), by the caller's explicit choice. */
  openConflicts?: { entity: string; id: string; heads: number; kind?: 'code' }[];
  /** A filing bundle: its pages, Bates range, and each exhibit's pages and Bates range. */
  bundle?: {
    title: string;
    pages: number;
    bates: BatesSettings & { first: string; last: string };
    index: { pages: [number, number] };
    parts: BundlePart[];
  };
}

export function buildManifest(
  model: ReportModel,
  definition: ReportDefinition,
  files: ManifestFile[],
  review: ExportManifest['review'] = null,
  history?: { seq: number; hash: string },
): ExportManifest {
  return {
    kind: 'attest-export-manifest',
    exhibitLabel: model.exhibitLabel,
    title: model.title,
    profile: model.profile,
    appVersion: model.appVersion,
    generatedAt: model.generatedAt,
    definitionId: model.definitionId,
    definition,
    period: model.period,
    counts: { incidents: model.recordIds.incidents.length, excluded: model.exclusions },
    recordIds: model.recordIds,
    rows: model.log.rows.map((r) => ({ rowId: r.rowId, incidentId: r.incidentId })),
    cells: model.summary.rows.flatMap((r) =>
      model.summary.categories.map((c, i) => ({ facilityId: r.facilityId, category: c.code, incidentIds: r.cells[i]!.incidentIds })).filter((x) => x.incidentIds.length),
    ),
    files,
    review,
    ...(history ? { history } : {}),
  };
}

function labelSlug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'exhibit';
}

/** Stable file names: "exhibit-a-public-2026-06-30.pdf". */
export function exportBaseName(model: Pick<ReportModel, 'exhibitLabel' | 'profile' | 'period'>): string {
  return `${labelSlug(model.exhibitLabel)}-${model.profile}-${model.period.to}`;
}

/**
 * The folder a public export's sealed key goes into, inside the export folder: never among the
 * files for the public docket, and named so no one uploads it by mistake.
 */
export const SEALED_FOLDER = 'SEALED-do-not-file-publicly';

/** "exhibit-a-SEALED-key-2026-06-30": the word "public" never appears in a sealed file's name. */
export function sealedKeyBaseName(model: Pick<ReportModel, 'exhibitLabel' | 'period'>): string {
  return `${labelSlug(model.exhibitLabel)}-SEALED-key-${model.period.to}`;
}
