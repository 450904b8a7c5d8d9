import { z } from 'zod';
import { Id } from '../schemas';
import { CATEGORY_CODES } from '../vocab';
import { OfficeSettings, ReportDefinitionInput } from './definition';

// Zod schemas of the report and export channels (joined into shared/contract.ts).

const definitionOut = z.custom<z.output<typeof ReportDefinitionInput>>((v) => typeof v === 'object' && v !== null);

export const SavedDefinitionOut = z.object({
  id: Id,
  version: z.number().int().positive(),
  name: z.string(),
  definition: definitionOut,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const SaveDefinitionInput = z.object({
  /** Absent to create; present (with the version you read) to save a new version. */
  id: Id.optional(),
  expectedVersion: z.number().int().positive().optional(),
  definition: ReportDefinitionInput,
});

export const EXPORT_FORMATS = ['pdf', 'docx', 'xlsx', 'csv', 'html'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS, 'must be pdf, docx, xlsx, csv or html');
export type ExportFormat = z.infer<typeof ExportFormat>;

/** A saved definition by id, or one given in full (then it is used as is, not saved). */
const DefinitionRef = {
  definitionId: Id.optional(),
  definition: ReportDefinitionInput.optional(),
};

/** The preview lays out the whole summary and this many rows of the log, unless asked otherwise. */
export const PREVIEW_LOG_ROWS = 200;

export const PreviewInput = z
  .object({
    ...DefinitionRef,
    /** How many log rows the preview's HTML holds: a large office's log would take seconds to lay out. */
    logRows: z.number().int().min(0).max(100_000).default(PREVIEW_LOG_ROWS),
  })
  .refine((v) => v.definitionId || v.definition, { message: 'give a definitionId or a definition', path: ['definitionId'] });

export const SummaryCellOut = z.object({ count: z.number().int(), incidentIds: z.array(z.string()), rowIds: z.array(z.string()) });
/** A count of the preview's Table 1; the incidents behind it come from reports:cell when asked. */
export const PreviewCountOut = z.object({ count: z.number().int() });

export const CellInput = z
  .object({
    ...DefinitionRef,
    /** The facility's row, or null for the "All facilities" row. */
    facilityId: Id.nullable(),
    /** The category's column, or null for the "All" column. */
    category: z.enum(CATEGORY_CODES).nullable(),
  })
  .refine((v) => v.definitionId || v.definition, { message: 'give a definitionId or a definition', path: ['definitionId'] });

export const PreviewOutput = z.object({
  html: z.string(),
  incidents: z.number().int(),
  /** Log rows in `html`: all of them, or the first `logRows`. */
  logRowsShown: z.number().int(),
  exclusions: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  /** Records of the report with open conflicts (edited on two laptops): an export must choose what to do. */
  conflicts: z
    .array(
      z.object({
        entity: z.string(),
        id: z.string(),
        label: z.string(),
        heads: z.number().int(),
        /** 'code': a person whose filing code another person also holds (heads counts the holders). */
        kind: z.enum(['heads', 'code']).optional(),
      }),
    )
    .optional(),
  summary: z.object({
    categories: z.array(z.object({ code: z.string(), label: z.string(), short: z.string() })),
    rows: z.array(z.object({ facilityId: z.string(), facility: z.string(), cells: z.array(PreviewCountOut), total: PreviewCountOut })),
    totals: z.array(PreviewCountOut),
    grandTotal: PreviewCountOut,
  }),
});

export const ReviewInput = z
  .object({
    ...DefinitionRef,
    /** How many items to return (unreviewed suspicious spans first); the counts cover them all. */
    limit: z.number().int().min(0).max(100_000).default(500),
  })
  .refine((v) => v.definitionId || v.definition, { message: 'give a definitionId or a definition', path: ['definitionId'] });

export const ReviewItemOut = z.object({
  at: z.string(),
  where: z.string(),
  kind: z.enum(['replaced', 'suspicious']),
  reason: z.enum(['name', 'capitalised', 'number', 'date']),
  text: z.string(),
  original: z.string(),
  before: z.string(),
  after: z.string(),
  occurrences: z.number().int(),
  choice: z.enum(['accept', 'redact']).nullable(),
});

export const ReviewCountsOut = z.object({
  replaced: z.number().int(),
  suspicious: z.number().int(),
  unreviewed: z.number().int(),
  accepted: z.number().int(),
  redacted: z.number().int(),
});

export const ReviewOutput = z.object({
  counts: ReviewCountsOut,
  /** Items in `items`: all of them, or the first `limit`. */
  total: z.number().int(),
  items: z.array(ReviewItemOut),
});

export const ExportInput = z
  .object({
    ...DefinitionRef,
    /** Overrides the definition's redaction profile for this export. */
    profile: z.enum(['public', 'sealed', 'internal'], 'must be public, sealed or internal').optional(),
    formats: z
      .array(ExportFormat)
      .min(1, 'choose at least one format')
      .max(EXPORT_FORMATS.length, 'too many formats')
      .refine((f) => new Set(f).size === f.length, 'a format is listed twice'),
    folder: z.string().trim().min(1, 'choose a folder').max(4096, 'the folder path is too long'),
    /** A byte-order mark at the start of CSV files, for Excel. */
    bom: z.boolean().default(true),
    /** With a public export, also write the sealed key (codes to people) as separate files. */
    includeKey: z.boolean().default(true),
    /** Refuse a public export (writing nothing) while a suspicious span of the redaction review has no choice. */
    strict: z.boolean().default(false),
    /** Records of the report with open conflicts: 'refuse' (the default) writes nothing; 'note' exports and names them in the method note and manifest. */
    conflicts: z.enum(['refuse', 'note'], 'must be refuse or note').default('refuse'),
    /** Set by the caller to follow progress events and to cancel with jobs:cancel. */
    jobId: z.string().max(64, 'must be at most 64 characters').optional(),
  })
  .refine((v) => v.definitionId || v.definition, { message: 'give a definitionId or a definition', path: ['definitionId'] });

/** A filing bundle: the exhibit (Exhibit A) and documents filed after it as Exhibit B-1…B-n. */
export const BundleInput = z
  .object({
    ...DefinitionRef,
    profile: z.enum(['public', 'sealed', 'internal'], 'must be public, sealed or internal').optional(),
    documents: z
      .array(
        z.object({
          path: z.string().trim().min(1, 'choose a PDF file').max(4096, 'the path is too long'),
          title: z.string().trim().min(1, 'give the document a title').max(300, 'must be at most 300 characters'),
        }),
      )
      .max(200, 'at most 200 documents')
      .default([]),
    folder: z.string().trim().min(1, 'choose a folder').max(4096, 'the folder path is too long'),
    /** With a public bundle, also write the sealed key into its own sealed folder. */
    includeKey: z.boolean().default(true),
    strict: z.boolean().default(false),
    /** Records of the report with open conflicts: 'refuse' (the default) writes nothing; 'note' exports and names them in the method note and manifest. */
    conflicts: z.enum(['refuse', 'note'], 'must be refuse or note').default('refuse'),
    jobId: z.string().max(64, 'must be at most 64 characters').optional(),
  })
  .refine((v) => v.definitionId || v.definition, { message: 'give a definitionId or a definition', path: ['definitionId'] });

export const BundlePartOut = z.object({
  label: z.string(),
  title: z.string(),
  kind: z.enum(['exhibit', 'slip', 'document']),
  pages: z.tuple([z.number().int(), z.number().int()]),
  bates: z.tuple([z.string(), z.string()]),
  source: z.object({ name: z.string(), sha256: z.string() }).optional(),
});

export const ExportFile = z.object({ name: z.string(), format: z.string(), bytes: z.number().int(), sha256: z.string() });

export const ExportRecordOut = z.object({
  id: Id,
  definitionId: z.string().nullable(),
  definitionVersion: z.number().int().nullable(),
  profile: z.string(),
  exhibitLabel: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  generatedAt: z.string(),
  generatedBy: z.string().nullable(),
  appVersion: z.string(),
  folder: z.string(),
  incidentCount: z.number().int(),
  files: z.array(ExportFile),
});

export const ProgressInput = z.object({ jobId: z.string().min(1).max(64, 'must be at most 64 characters') });
export const ProgressOutput = z.object({ done: z.number().int(), total: z.number().int(), step: z.string(), finished: z.boolean() });

export const ListExportsInput = z
  .object({
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .prefault({});

export const VerifyInput = z.object({
  exportId: Id,
  name: z.string().min(1, 'name the file').max(300, 'must be at most 300 characters'),
  /** Where the file is now; defaults to where it was written. */
  path: z.string().max(4096, 'the path is too long').optional(),
});

export const VerifyOutput = z.object({
  path: z.string(),
  matches: z.boolean(),
  found: z.boolean(),
  expected: z.string(),
  actual: z.string().nullable(),
  /**
   * The history tip the export's manifest recorded, against the database's chain: null when the
   * manifest is not where it was written (or unreadable). `problem` says how the history was cut
   * short or rewritten since the export; a tip set aside by a confirmed restore is `superseded`.
   */
  history: z
    .object({
      seq: z.number().int(),
      hash: z.string(),
      reached: z.boolean(),
      superseded: z.boolean(),
      problem: z.string().nullable(),
    })
    .nullable(),
});

export const ChooseFolderOutput = z.object({ available: z.boolean(), folder: z.string().nullable() });

export { OfficeSettings };

export const reportChannels = {
  'reports:save': {
    summary: 'Save a report definition (new, or a new version of a saved one)',
    input: SaveDefinitionInput,
    output: SavedDefinitionOut,
    write: true,
  },
  'reports:list': {
    summary: 'Saved report definitions, most recently saved first',
    input: z.object({}).default({}),
    output: z.object({ items: z.array(SavedDefinitionOut) }),
  },
  'reports:get': {
    summary: 'One saved report definition',
    input: z.object({ id: Id }),
    output: SavedDefinitionOut,
  },
  'reports:settings': {
    summary: "The office's report settings (A-number policy in public exhibits, default caption)",
    input: z.object({}).default({}),
    output: OfficeSettings,
  },
  'reports:save-settings': {
    summary: "Save the office's report settings",
    input: OfficeSettings,
    output: OfficeSettings,
    write: true,
  },
  'reports:preview': {
    summary: 'Build the exhibit for a definition and return its counts and HTML, with the first logRows rows of the log (nothing written)',
    input: PreviewInput,
    output: PreviewOutput,
  },
  'reports:cell': {
    summary: "One count of the exhibit's Table 1 and the incidents behind it (log row ids and incident ids), by facility and category (nothing written)",
    input: CellInput,
    output: SummaryCellOut,
  },
  'reports:review': {
    summary: 'The redaction review of the public exhibit: every span redaction replaced, and every suspicious span left, with the choice made for each',
    input: ReviewInput,
    output: ReviewOutput,
  },
  'reports:export': {
    summary: 'Write the exhibit in the chosen formats to a folder, with a manifest; logs the export',
    input: ExportInput,
    output: z.object({ export: ExportRecordOut, manifestPath: z.string() }),
  },
  'reports:bundle': {
    summary: 'Write a filing bundle: index, Exhibit A and documents as Exhibit B-1…B-n, each behind a slip sheet, one PDF with Bates numbers on every page; logs it like an export',
    input: BundleInput,
    output: z.object({ export: ExportRecordOut, manifestPath: z.string(), pages: z.number().int(), parts: z.array(BundlePartOut) }),
  },
  'reports:progress': {
    summary: 'How far a running export (by jobId) has got',
    input: ProgressInput,
    output: ProgressOutput,
  },
  'reports:choose-folder': {
    summary: 'Ask the operating system for a folder to export to (desktop app only); probe: only say whether a dialog exists',
    input: z.object({ probe: z.boolean().default(false) }).prefault({}),
    output: ChooseFolderOutput,
  },
  'exports:list': {
    summary: 'Past exports, newest first, with the SHA-256 of every file',
    input: ListExportsInput,
    output: z.object({ items: z.array(ExportRecordOut), total: z.number().int() }),
  },
  'exports:verify': {
    summary: 'Check a file on disk against the SHA-256 recorded when it was exported, and the history tip in its manifest against the database',
    input: VerifyInput,
    output: VerifyOutput,
  },
} as const;
