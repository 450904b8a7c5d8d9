// The roster import channels: read a CSV or XLSX roster, check every row against the records
// (nothing written), then write it all in one transaction (or only its valid rows when asked).
import { z } from 'zod';
import { IMPORT_FIELDS, IMPORT_KINDS, ROSTER_ENCODINGS } from '../roster/fields';
import { Id } from '../schemas';
import type { Spec, WriteSpec } from './spec';

const FilePath = z.string().min(1, 'choose a file').max(4096, 'must be at most 4096 characters');
const FieldName = z.enum(IMPORT_FIELDS).or(z.literal(''));
/** Column header → field; '' leaves a column out. */
/** Column name to field: at most 1,000 columns (a roster has tens). */
export const ImportMapping = z
  .record(z.string().max(300), FieldName)
  .refine((m) => Object.keys(m).length <= 1000, 'at most 1,000 columns can be mapped')
  .meta({ boundedBy: 'number of keys' });
const DateOrderIn = z.enum(['mdy', 'dmy'], 'must be mdy (month first) or dmy (day first)');

const FileRef = {
  path: FilePath,
  /** XLSX: the sheet to read (default: the first sheet with rows). */
  sheet: z.string().max(200).nullish(),
  /** CSV: read in this encoding instead of the one detected. */
  encoding: z.enum(ROSTER_ENCODINGS).nullish(),
  kind: z.enum(IMPORT_KINDS).default('people'),
};

export const ImportReadInput = z.object(FileRef);
export const ImportCheckInput = z.object({
  ...FileRef,
  mapping: ImportMapping,
  /** The day/month order of a date column whose values do not decide it (asked once per column). */
  // Keys are an enum of two fields: bounded by its nature.
  dateOrders: z.partialRecord(z.enum(['birthDate', 'detainedSince']), DateOrderIn).meta({ boundedBy: 'enum keys' }).default({}),
  /** Names the job whose progress events (rows checked, rows written) the caller follows. */
  jobId: z.string().max(64, 'must be at most 64 characters').optional(),
});
export const ImportRunInput = ImportCheckInput.extend({
  /** The file's SHA-256 as it was checked: a file changed since is refused. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the file checked (64 hex digits)'),
  /** Write the valid rows and report the rest, instead of all or nothing. */
  validOnly: z.boolean().default(false),
});

const RowIssue = z.object({ field: z.string(), column: z.string(), message: z.string() });
const Rejected = z.object({ line: z.number().int(), label: z.string(), issues: z.array(RowIssue) });
/** A row held for review: why (in plain words), and the people it may be. */
const Held = z.object({ line: z.number().int(), label: z.string(), message: z.string(), similar: z.array(z.object({ id: Id, name: z.string(), filingCode: z.string() })) });
const Updated = z.object({ line: z.number().int(), label: z.string(), id: Id, fields: z.array(z.string()) });
const Counts = z.object({
  create: z.number().int(),
  update: z.number().int(),
  unchanged: z.number().int(),
  held: z.number().int(),
  rejected: z.number().int(),
  skipped: z.number().int(),
  empty: z.number().int(),
});

export const ImportReadOutput = z.object({
  fileName: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.enum(ROSTER_ENCODINGS).nullable(),
  encodingDetected: z.boolean(),
  sheets: z.array(z.string()),
  sheet: z.string().nullable(),
  headerLine: z.number().int(),
  headers: z.array(z.string()),
  rowCount: z.number().int(),
  /** The first rows, cells cut at 200 characters. */
  preview: z.array(z.object({ line: z.number().int(), cells: z.array(z.string()) })),
  /** The guessed field of each column. */
  guess: ImportMapping,
  /** A saved mapping whose columns are all in this file (the newest), used instead of the guess. */
  saved: z.object({ name: z.string(), mapping: ImportMapping }).nullable(),
});

export const ImportCheckOutput = z.object({
  fileName: z.string(),
  sha256: z.string(),
  kind: z.enum(IMPORT_KINDS),
  rows: z.number().int(),
  counts: Counts,
  dateQuestions: z.array(z.object({ field: z.string(), column: z.string(), samples: z.array(z.string()) })),
  unmapped: z.array(z.string()),
  facilitiesToCreate: z.array(z.object({ name: z.string(), lines: z.array(z.number().int()) })),
  /** At most 5,000 of each list; the counts are whole. */
  rejected: z.array(Rejected),
  held: z.array(Held),
  updates: z.array(Updated),
  skipped: z.array(z.object({ line: z.number().int(), message: z.string() })),
});

export const ImportRunOutput = z.object({
  fileName: z.string(),
  sha256: z.string(),
  /** The reason every written version carries: "roster import <file>, <date> (SHA-256 …)". */
  reason: z.string(),
  counts: Counts,
  /** At most 5,000 of each list; the counts are whole. */
  created: z.array(z.object({ line: z.number().int(), label: z.string(), id: Id, code: z.string().nullable() })),
  updated: z.array(Updated),
  held: z.array(Held),
  rejected: z.array(Rejected),
  facilitiesCreated: z.array(z.object({ id: Id, name: z.string() })),
});

const SavedMapping = z.object({ name: z.string(), kind: z.enum(IMPORT_KINDS), mapping: ImportMapping, savedAt: z.string() });

export const importChannels = {
  'import:choose-file': {
    summary: 'Ask the operating system for a roster file to import (desktop app only); probe: only say whether a dialog exists',
    input: z.object({ probe: z.boolean().default(false) }).prefault({}),
    output: z.object({ available: z.boolean(), path: z.string().nullable() }),
  },
  'import:read': {
    summary: 'Read a roster (CSV in any of its encodings, or one sheet of an XLSX): columns, first rows, the guessed mapping',
    input: ImportReadInput,
    output: ImportReadOutput,
  },
  'import:check': {
    summary: 'Check every row of a roster with a mapping, against the records: what would be created, updated, held, rejected (writes nothing)',
    input: ImportCheckInput,
    output: ImportCheckOutput,
  },
  'import:run': {
    summary: 'Import a checked roster in one transaction: all rows or nothing, or with validOnly the valid rows and a report of the rest',
    input: ImportRunInput,
    output: ImportRunOutput,
    write: true,
  },
  'import:export-rejected': {
    summary: 'Write the rejected and held rows as CSV (their cells and what is wrong), beside the roster or to out',
    input: ImportCheckInput.extend({ out: FilePath.nullish() }),
    output: z.object({ path: z.string(), rows: z.number().int() }),
  },
  'import:save-mapping': {
    summary: 'Save a column mapping under a name, for the next roster from the same source',
    input: z.object({ name: z.string().trim().min(1, 'give the mapping a name').max(100), kind: z.enum(IMPORT_KINDS).default('people'), mapping: ImportMapping }),
    output: SavedMapping,
    write: true,
  },
  'import:mappings': {
    summary: 'The saved column mappings, newest first',
    input: z.object({ kind: z.enum(IMPORT_KINDS).optional() }).prefault({}),
    output: z.object({ items: z.array(SavedMapping) }),
  },
} satisfies Record<string, Spec<z.ZodType, z.ZodType> | WriteSpec<z.ZodType, z.ZodType>>;
