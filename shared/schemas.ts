import { z } from 'zod';
import { normalizeANumber } from './a-number';
import { cleanInput, hasVisible } from './text-clean';
import {
  CATEGORY_CODES,
  CLASS_MEMBERSHIPS,
  DATE_PRECISIONS,
  DECLARATION_STATUSES,
  DETENTION_STANDARDS,
  DOCUMENT_KINDS,
  FACILITY_OPERATORS,
  HISTORY_ACTIONS,
  INCIDENT_STATUSES,
  INTERVIEW_MODES,
  REMOVAL_ORDER_STATUSES,
  STAFF_ROLES,
  US_STATES,
} from './vocab';

// Every string and array crossing the boundary is bounded, so no payload can grow without limit.
// Invisible characters that mean nothing (zero-width space, soft hyphen, BOM, controls, stray
// directional marks) are removed before the text is trimmed and checked (shared/text-clean.ts).
export const text = (max: number) => z.string().overwrite(cleanInput).trim().max(max, `must be at most ${max} characters`);
/** A text that must show something: one made only of spaces and invisible characters is refused. */
export const requiredText = (max: number, what: string) => text(max).min(1, { error: `${what} is required`, abort: true }).refine(hasVisible, `${what} is required`);
// Optional inputs accept a missing value, null (a record read back and sent again) or '' (an empty
// form field), and store null.
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((s) => (s === undefined || s === null || s === '' ? null : s));

export const Id = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a record id (ULID)');
export type Id = z.infer<typeof Id>;
const optionalId = Id.nullish()
  .or(z.literal(''))
  .transform((s) => (s === undefined || s === null || s === '' ? null : s));

export const IsoDate = z.iso.date('must be a date written YYYY-MM-DD');
const optionalDate = IsoDate.nullish()
  .or(z.literal(''))
  .transform((s) => (s === undefined || s === null || s === '' ? null : s));

/** Local date and time of day, as a date-time input gives it: YYYY-MM-DDTHH:MM. */
export const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a date and time written YYYY-MM-DDTHH:MM')
  .refine((s) => {
    const d = new Date(`${s}:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 16) === s;
  }, 'is not a real date and time');

const optionalBool = z
  .boolean()
  .nullish()
  .transform((b) => b ?? null);

export const ANumber = z
  .string()
  .max(40, 'must be at most 40 characters')
  .transform((raw, ctx) => {
    const r = normalizeANumber(raw);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.value;
  });

export const CategoryCode = z.enum(CATEGORY_CODES, 'must be a category code from the vocabulary');
export const FacilityOperator = z.enum(FACILITY_OPERATORS, 'must be one of the operator kinds');
export const DetentionStandard = z.enum(DETENTION_STANDARDS, 'must be PBNDS_2011, NDS_2019 or OTHER');
export const UsState = z.enum(US_STATES, 'must be a two-letter US state or territory code');
export const ClassMembership = z.enum(CLASS_MEMBERSHIPS, 'must be member, not_member or unknown');
export const RemovalOrderStatus = z.enum(REMOVAL_ORDER_STATUSES, 'must be a removal-order status code');
export const InterviewMode = z.enum(INTERVIEW_MODES, 'must be in_person, phone or video');
export const DeclarationStatus = z.enum(DECLARATION_STATUSES, 'must be none, drafted or signed');
export const DatePrecision = z.enum(DATE_PRECISIONS, 'must be exact, month or approximate');
export const StaffRole = z.enum(STAFF_ROLES, 'must be ice_officer, contract_guard, medical or other');
export const DocumentKind = z.enum(DOCUMENT_KINDS, 'must be a document kind code');
export const IncidentStatus = z.enum(INCIDENT_STATUSES, 'must be new, verified or excluded');
export const HistoryAction = z.enum(HISTORY_ACTIONS);

const RecordMeta = {
  id: Id,
  version: z.number().int().positive(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Set when the record is deleted (a tombstone); deleted records stay in history and can be restored. */
  deletedAt: z.string().nullable(),
};

/** What every update, delete and restore carries: the version the caller saw, and why. */
const WriteGuard = {
  id: Id,
  /** The version the caller last read; a different current version is a CONFLICT, never an overwrite. */
  expectedVersion: z.number().int().positive('must be a positive version number'),
  reason: optionalText(500),
};

export const GuardInput = z.object(WriteGuard);
export type GuardInput = z.input<typeof GuardInput>;

// ---- Facility ------------------------------------------------------------------------------

const FacilityShape = z.object({
  name: requiredText(200, 'Name'),
  city: requiredText(100, 'City'),
  state: UsState,
  operator: FacilityOperator,
  operatorName: optionalText(200),
  standard: DetentionStandard,
});
export const FacilityInput = FacilityShape;
export type FacilityInput = z.input<typeof FacilityInput>;
export const FacilityUpdate = FacilityShape.extend(WriteGuard);
export type FacilityUpdate = z.input<typeof FacilityUpdate>;

export const Facility = z.object({
  ...RecordMeta,
  name: z.string(),
  city: z.string(),
  state: UsState,
  operator: FacilityOperator,
  operatorName: z.string().nullable(),
  standard: DetentionStandard,
});
export type Facility = z.infer<typeof Facility>;

// ---- Person --------------------------------------------------------------------------------

const PersonShape = z.object({
  familyName: requiredText(200, 'Family name'),
  givenName: requiredText(200, 'Given name'),
  /** The name as written in the person's own script (often Arabic). */
  nameOriginal: optionalText(200),
  aNumber: ANumber,
  birthDate: optionalDate,
  nationality: optionalText(100),
  languages: z.array(requiredText(60, 'Language')).max(10, 'at most 10 languages').default([]),
  interpreterNeeded: z.boolean().default(false),
  currentFacilityId: optionalId,
  detainedSince: optionalDate,
  classMembership: ClassMembership.default('unknown'),
  removalOrderStatus: RemovalOrderStatus.default('unknown'),
  /** Counsel of record (name and organisation), if any. */
  counsel: optionalText(200),
  /** Consent to use the person's account in court filings. */
  consentGiven: z.boolean().default(false),
  consentDate: optionalDate,
  consentScope: optionalText(1000),
});

type PersonShapeOut = z.output<typeof PersonShape>;
function personRules(p: PersonShapeOut, ctx: z.core.$RefinementCtx<PersonShapeOut>) {
  if (p.consentGiven && !p.consentDate) {
    ctx.addIssue({ code: 'custom', path: ['consentDate'], message: 'give the date consent was given' });
  }
  if (!p.consentGiven && (p.consentDate || p.consentScope)) {
    ctx.addIssue({ code: 'custom', path: ['consentGiven'], message: 'a consent date or scope needs consent marked as given' });
  }
  if (p.birthDate && p.detainedSince && p.detainedSince < p.birthDate) {
    ctx.addIssue({ code: 'custom', path: ['detainedSince'], message: 'cannot be before the birth date' });
  }
  if (new Set(p.languages.map((l) => l.toLowerCase())).size !== p.languages.length) {
    ctx.addIssue({ code: 'custom', path: ['languages'], message: 'a language is listed twice' });
  }
}

export const PersonInput = PersonShape.superRefine(personRules);
export type PersonInput = z.input<typeof PersonInput>;
export const PersonUpdate = PersonShape.extend(WriteGuard).superRefine(personRules);
export type PersonUpdate = z.input<typeof PersonUpdate>;

export const Person = z.object({
  ...RecordMeta,
  familyName: z.string(),
  givenName: z.string(),
  nameOriginal: z.string().nullable(),
  aNumber: z.string().regex(/^\d{9}$/),
  birthDate: z.string().nullable(),
  nationality: z.string().nullable(),
  languages: z.array(z.string()),
  interpreterNeeded: z.boolean(),
  currentFacilityId: Id.nullable(),
  detainedSince: z.string().nullable(),
  classMembership: ClassMembership,
  removalOrderStatus: RemovalOrderStatus,
  counsel: z.string().nullable(),
  consentGiven: z.boolean(),
  consentDate: z.string().nullable(),
  consentScope: z.string().nullable(),
  /** Stable code used in public exhibits, CM-001…; allocated once, never reused. */
  filingCode: z.string().regex(/^CM-\d{3,}$/),
});
export type Person = z.infer<typeof Person>;

/** Names to check before saving a person: warns about similar names and a taken A-number. */
export const SimilarPeopleInput = z.object({
  familyName: text(200).default(''),
  givenName: text(200).default(''),
  nameOriginal: optionalText(200),
  /** Raw A-number as typed; checked only when it is well-formed. */
  aNumber: text(40).optional(),
  /** The person being edited, left out of the answer. */
  excludeId: optionalId,
});
export const SimilarPerson = z.object({
  id: Id,
  familyName: z.string(),
  givenName: z.string(),
  nameOriginal: z.string().nullable(),
  aNumber: z.string(),
  filingCode: z.string(),
  /** Why it matched: 'aNumber', 'name' (Latin letters) or 'nameOriginal' (original script). */
  matchedOn: z.enum(['aNumber', 'name', 'nameOriginal']),
});
export const SimilarPeopleOutput = z.object({
  /** The person who already holds this A-number (saving would be refused). */
  aNumberTaken: SimilarPerson.nullable(),
  /** People whose name is the same up to case, diacritics, spacing, word order and common transliterations. */
  similar: z.array(SimilarPerson),
});

// ---- Staff and session ---------------------------------------------------------------------

export const StaffInput = z.object({
  name: requiredText(200, 'Name'),
  role: optionalText(100),
});
export type StaffInput = z.input<typeof StaffInput>;
export const Staff = z.object({ ...RecordMeta, name: z.string(), role: z.string().nullable() });
export type Staff = z.infer<typeof Staff>;
export const SessionUser = z.object({ staffId: Id.nullable(), name: z.string().nullable() });
export type SessionUser = z.infer<typeof SessionUser>;

// ---- Interview -----------------------------------------------------------------------------

const InterviewShape = z.object({
  personId: Id,
  startedAt: LocalDateTime,
  place: optionalText(200),
  interviewer: requiredText(200, 'Interviewer'),
  mode: InterviewMode.default('in_person'),
  interpreter: optionalText(200),
  interpreterLanguage: optionalText(60),
  durationMinutes: z
    .number()
    .int('must be whole minutes')
    .min(1, 'must be at least 1 minute')
    .max(24 * 60, 'must be at most 24 hours')
    .nullish()
    .transform((n) => n ?? null),
  declarationStatus: DeclarationStatus.default('none'),
  declarationSignedOn: optionalDate,
  notes: optionalText(10_000),
});
type InterviewShapeOut = z.output<typeof InterviewShape>;
function interviewRules(v: InterviewShapeOut, ctx: z.core.$RefinementCtx<InterviewShapeOut>) {
  if (v.declarationStatus === 'signed' && !v.declarationSignedOn) {
    ctx.addIssue({ code: 'custom', path: ['declarationSignedOn'], message: 'give the date the declaration was signed' });
  }
  if (v.declarationStatus !== 'signed' && v.declarationSignedOn) {
    ctx.addIssue({ code: 'custom', path: ['declarationSignedOn'], message: 'only a signed declaration has a signing date' });
  }
  if (v.declarationSignedOn && v.declarationSignedOn < v.startedAt.slice(0, 10)) {
    ctx.addIssue({ code: 'custom', path: ['declarationSignedOn'], message: 'cannot be before the interview' });
  }
  if (v.interpreterLanguage && !v.interpreter) {
    ctx.addIssue({ code: 'custom', path: ['interpreter'], message: 'name the interpreter for the language given' });
  }
}
export const InterviewInput = InterviewShape.superRefine(interviewRules);
export type InterviewInput = z.input<typeof InterviewInput>;
export const InterviewUpdate = InterviewShape.extend(WriteGuard).superRefine(interviewRules);
export type InterviewUpdate = z.input<typeof InterviewUpdate>;

export const Interview = z.object({
  ...RecordMeta,
  personId: Id,
  startedAt: z.string(),
  place: z.string().nullable(),
  interviewer: z.string(),
  mode: InterviewMode,
  interpreter: z.string().nullable(),
  interpreterLanguage: z.string().nullable(),
  durationMinutes: z.number().int().nullable(),
  declarationStatus: DeclarationStatus,
  declarationSignedOn: z.string().nullable(),
  notes: z.string().nullable(),
});
export type Interview = z.infer<typeof Interview>;
export const InterviewRow = Interview.extend({ personName: z.string(), incidentCount: z.number().int() });
export type InterviewRow = z.infer<typeof InterviewRow>;

// ---- Incident ------------------------------------------------------------------------------

export const StaffInvolved = z
  .object({
    role: StaffRole,
    name: optionalText(200),
    badge: optionalText(60),
  })
  .strict();
export type StaffInvolved = z.infer<typeof StaffInvolved>;

/** A witness is another person in the database, or a free-text description. */
export const Witness = z
  .object({
    personId: optionalId,
    description: optionalText(500),
  })
  .strict()
  .refine((w) => (w.personId === null) !== (w.description === null), {
    message: 'a witness is either a person from the database or a description, not both or neither',
  });
export type Witness = z.infer<typeof Witness>;

const IncidentShape = z.object({
  personId: Id,
  /** The interview in which the person reported it, when there was one. */
  interviewId: optionalId,
  facilityId: Id,
  /** When it happened: the day, or the first day of a range. */
  occurredOn: IsoDate,
  /** The last day of a range; null for a single day. */
  occurredUntil: optionalDate,
  datePrecision: DatePrecision.default('exact'),
  categories: z
    .array(CategoryCode)
    .min(1, 'choose at least one category')
    .max(CATEGORY_CODES.length, 'too many categories')
    .refine((c) => new Set(c).size === c.length, 'a category is listed twice'),
  /** Neutral summary, written by the attorney. */
  summary: requiredText(10_000, 'Summary'),
  /** The detainee's own words, in any language. */
  ownWords: optionalText(20_000),
  staffInvolved: z.array(StaffInvolved).max(20, 'at most 20 staff').default([]),
  witnesses: z.array(Witness).max(50, 'at most 50 witnesses').default([]),
  /** How long the deprivation lasted, in minutes (meals, water, restroom, counsel…). */
  deprivationMinutes: z
    .number()
    .int('must be whole minutes')
    .min(0, 'cannot be negative')
    .max(366 * 24 * 60, 'must be at most a year')
    .nullish()
    .transform((n) => n ?? null),
  documentPressed: DocumentKind.nullish().transform((d) => d ?? null),
  documentOther: optionalText(200),
  /** Whether the pressed document was signed; null when unknown or no document. */
  documentSigned: optionalBool,
  /** Whether counsel was present; null when unknown. */
  counselPresent: optionalBool,
  grievanceFiled: z.boolean().default(false),
  grievanceAnswer: optionalText(5_000),
  corroboration: optionalText(5_000),
  raisedWithOpposingCounselOn: optionalDate,
  status: IncidentStatus.default('new'),
  includeInReport: z.boolean().default(true),
});
type IncidentShapeOut = z.output<typeof IncidentShape>;
function incidentRules(v: IncidentShapeOut, ctx: z.core.$RefinementCtx<IncidentShapeOut>) {
  if (v.occurredUntil && v.occurredUntil < v.occurredOn) {
    ctx.addIssue({ code: 'custom', path: ['occurredUntil'], message: 'the end of the range cannot be before its start' });
  }
  if (v.occurredUntil && v.occurredUntil === v.occurredOn) {
    ctx.addIssue({ code: 'custom', path: ['occurredUntil'], message: 'leave the end empty for a single day' });
  }
  if (v.datePrecision === 'month' && v.occurredOn.slice(8) !== '01') {
    ctx.addIssue({ code: 'custom', path: ['occurredOn'], message: 'with month precision, give the first day of the month' });
  }
  if (v.documentPressed === null && v.documentSigned !== null) {
    ctx.addIssue({ code: 'custom', path: ['documentSigned'], message: 'say which document was pressed before whether it was signed' });
  }
  if (v.documentPressed !== 'other' && v.documentOther !== null) {
    ctx.addIssue({ code: 'custom', path: ['documentOther'], message: 'describe the document only when it is "other"' });
  }
  if (v.documentPressed === 'other' && v.documentOther === null) {
    ctx.addIssue({ code: 'custom', path: ['documentOther'], message: 'describe the other document' });
  }
  if (!v.grievanceFiled && v.grievanceAnswer !== null) {
    ctx.addIssue({ code: 'custom', path: ['grievanceAnswer'], message: 'a grievance answer needs the grievance marked as filed' });
  }
  if (v.status === 'excluded' && v.includeInReport) {
    ctx.addIssue({ code: 'custom', path: ['includeInReport'], message: 'an excluded incident cannot be included in a report' });
  }
  const witnessIds = v.witnesses.flatMap((w) => (w.personId ? [w.personId] : []));
  if (witnessIds.includes(v.personId)) {
    ctx.addIssue({ code: 'custom', path: ['witnesses'], message: 'the person reporting cannot be their own witness' });
  }
  if (new Set(witnessIds).size !== witnessIds.length) {
    ctx.addIssue({ code: 'custom', path: ['witnesses'], message: 'a witness is listed twice' });
  }
}
export const IncidentInput = IncidentShape.superRefine(incidentRules);
export type IncidentInput = z.input<typeof IncidentInput>;
export const IncidentUpdate = IncidentShape.extend(WriteGuard).superRefine(incidentRules);
export type IncidentUpdate = z.input<typeof IncidentUpdate>;

export const Incident = z.object({
  ...RecordMeta,
  personId: Id,
  interviewId: Id.nullable(),
  facilityId: Id,
  occurredOn: z.string(),
  occurredUntil: z.string().nullable(),
  datePrecision: DatePrecision,
  categories: z.array(CategoryCode),
  summary: z.string(),
  ownWords: z.string().nullable(),
  staffInvolved: z.array(z.object({ role: StaffRole, name: z.string().nullable(), badge: z.string().nullable() })),
  witnesses: z.array(z.object({ personId: Id.nullable(), description: z.string().nullable() })),
  deprivationMinutes: z.number().int().nullable(),
  documentPressed: DocumentKind.nullable(),
  documentOther: z.string().nullable(),
  documentSigned: z.boolean().nullable(),
  counselPresent: z.boolean().nullable(),
  grievanceFiled: z.boolean(),
  grievanceAnswer: z.string().nullable(),
  corroboration: z.string().nullable(),
  raisedWithOpposingCounselOn: z.string().nullable(),
  status: IncidentStatus,
  includeInReport: z.boolean(),
});
export type Incident = z.infer<typeof Incident>;

export const IncidentRow = Incident.extend({
  personName: z.string(),
  facilityName: z.string(),
  filingCode: z.string(),
});
export type IncidentRow = z.infer<typeof IncidentRow>;

export const BulkIncidentsInput = z.object({
  items: z.array(IncidentInput).min(1, 'give at least one incident').max(1000, 'at most 1000 incidents at once'),
});
export const BulkIncidentsOutput = z.object({ ids: z.array(Id), count: z.number().int() });

// ---- History -------------------------------------------------------------------------------

export const FieldChange = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export type FieldChange = z.infer<typeof FieldChange>;
export const HistoryEntry = z.object({
  version: z.number().int().positive(),
  action: HistoryAction,
  /** ISO timestamp of the write. */
  at: z.string(),
  /** Staff member who made it, when known. */
  by: z.string().nullable(),
  reason: z.string().nullable(),
  /** The record's fields as written in this version. */
  data: z.record(z.string(), z.unknown()),
  /** Fields that differ from the version it replaces (every field for the first). */
  changes: z.array(FieldChange),
  /** The laptop that wrote this version: this one, or another whose versions came in a bundle. */
  device: z.object({ id: z.string(), name: z.string().nullable(), local: z.boolean() }).optional(),
  /** This version ("device:seq") and the versions it replaces: two heads share a parent; a resolution names both. */
  ref: z.string().optional(),
  parents: z.array(z.string()).nullable().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;
export const HistoryOutput = z.object({ id: Id, versions: z.array(HistoryEntry) });

// ---- Lists ---------------------------------------------------------------------------------

export const Page = z.object({
  limit: z.number().int().min(1).max(1000).default(200),
  offset: z.number().int().min(0).max(100_000_000).default(0),
});
/** Lists hide tombstones unless asked for them ('only' shows the deleted records alone). */
const Deleted = z.enum(['hide', 'only']).default('hide');
const SortDirection = z.enum(['asc', 'desc']).default('desc');

export const ListFacilitiesInput = Page.extend({ deleted: Deleted }).prefault({});
export const ListPeopleInput = Page.extend({
  facilityId: Id.optional(),
  /** Case-, diacritic- and script-insensitive prefix of a name, the A-number or the filing code. */
  query: text(200).optional(),
  classMembership: ClassMembership.optional(),
  sort: z.enum(['name', 'nameOriginal', 'aNumber', 'filingCode', 'detainedSince', 'createdAt']).default('name'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  deleted: Deleted,
}).prefault({});

const IncidentFilterShape = {
  personId: Id.optional(),
  facilityId: Id.optional(),
  interviewId: Id.optional(),
  category: CategoryCode.optional(),
  /** Incidents whose date (or range) overlaps [from, to]. */
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  status: IncidentStatus.optional(),
  counselPresent: z.boolean().optional(),
  documentSigned: z.boolean().optional(),
  includeInReport: z.boolean().optional(),
  deleted: Deleted,
  /**
   * Count matches up to this many; beyond it `total` is this number and `totalExact` false. Counting
   * costs time at a million rows: ask for more only when you need it (0 skips counting).
   */
  countUpTo: z.number().int().min(0).max(10_000_000).default(500),
};
export const ListIncidentsInput = Page.extend({
  ...IncidentFilterShape,
  /** Any column of the list: the date and entry time walk an index; the others sort the matches. */
  sort: z.enum(['occurredOn', 'createdAt', 'person', 'facility', 'categories', 'summary', 'status']).default('occurredOn'),
  direction: SortDirection,
}).prefault({});
export const SearchIncidentsInput = Page.extend({
  ...IncidentFilterShape,
  /** Words to find in the summary and own words (any script); "word*" matches a prefix. All words must match. */
  text: requiredText(500, 'Search text'),
});
export const IncidentList = z.object({
  items: z.array(IncidentRow),
  total: z.number().int().nonnegative(),
  /** False when there are more matches than `countUpTo`; `total` is then a lower bound. */
  totalExact: z.boolean(),
});

export const ListInterviewsInput = Page.extend({
  personId: Id.optional(),
  deleted: Deleted,
}).prefault({});

export const TimelineEntry = z.object({
  kind: z.enum(['interview', 'incident']),
  id: Id,
  /** The day it happened (interview day, or an incident's first day). */
  date: z.string(),
  until: z.string().nullable(),
  precision: DatePrecision,
  /** An incident's summary; null for an interview. */
  summary: z.string().nullable(),
  /** An interview's mode, place and interviewer; null for an incident. */
  interview: z.object({ mode: InterviewMode, place: z.string().nullable(), interviewer: z.string() }).nullable(),
  categories: z.array(CategoryCode),
  status: IncidentStatus.nullable(),
});
export const TimelineOutput = z.object({ personId: Id, items: z.array(TimelineEntry) });

// ---- Drafts --------------------------------------------------------------------------------

const DRAFT_MAX_CHARS = 200_000;
export const DraftKey = z
  .string()
  .min(1, 'draft key is required')
  .max(200, 'must be at most 200 characters')
  .regex(/^[A-Za-z0-9:_.-]+$/, 'may contain only letters, digits and : _ . -');
export const DraftKind = z.enum(['interview', 'incident', 'person', 'other']);
export const DraftSaveInput = z.object({
  key: DraftKey,
  kind: DraftKind,
  /** The form's values, as JSON; bounded in size. */
  data: z.unknown().refine((d) => {
    try {
      const s = JSON.stringify(d);
      return s !== undefined && s.length <= DRAFT_MAX_CHARS;
    } catch {
      return false;
    }
  }, `must be JSON of at most ${DRAFT_MAX_CHARS} characters`)
    // Free-form by design (any form's values); the refinement above bounds its serialised size.
    .meta({ boundedBy: 'serialised JSON size' }),
});
export const Draft = z.object({ key: z.string(), kind: DraftKind, data: z.unknown(), savedAt: z.string(), savedBy: z.string().nullable() });
export type Draft = z.infer<typeof Draft>;

export const GetById = z.object({ id: Id });
export const PersonIdInput = z.object({ personId: Id });

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int().nonnegative() });
