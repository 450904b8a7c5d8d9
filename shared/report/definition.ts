import { z } from 'zod';
import { CategoryCode, Id, IncidentStatus, IsoDate, requiredText, text } from '../schemas';

// A saved report definition: everything needed to rebuild one period's exhibit from the records.
const required = requiredText;

export const REDACTION_PROFILES = ['public', 'sealed', 'internal'] as const;
export const RedactionProfile = z.enum(REDACTION_PROFILES, 'must be public, sealed or internal');
export type RedactionProfile = z.infer<typeof RedactionProfile>;


/** Columns of Table 2 (the incident log), in the order the definition lists them. */
export const LOG_COLUMNS = [
  'rowId',
  'person',
  'aNumber',
  'birth',
  'facility',
  'date',
  'categories',
  'standard',
  'summary',
  'ownWords',
  'circumstances',
  'source',
] as const;
export const LogColumn = z.enum(LOG_COLUMNS, 'must be a known incident-log column');
export type LogColumn = z.infer<typeof LogColumn>;
export const DEFAULT_LOG_COLUMNS: LogColumn[] = ['rowId', 'person', 'facility', 'date', 'categories', 'summary', 'circumstances', 'source'];

export const SORT_KEYS = ['date', 'facility', 'filingCode'] as const;
export const SortKey = z.enum(SORT_KEYS, 'must be date, facility or filingCode');

export const Caption = z.object({
  court: required(200, 'Court'),
  division: text(200).default(''),
  caseName: required(300, 'Case name'),
  /** Party lines as they appear left of the case number, e.g. "Petitioners-Plaintiffs,". */
  parties: z.array(text(300)).max(12, 'at most 12 party lines').default([]),
  caseNumber: required(100, 'Case number'),
  judge: text(200).default(''),
  magistrateJudge: text(200).default(''),
  classAction: z.boolean().default(true),
});
export type Caption = z.infer<typeof Caption>;

export const SignatureBlock = z.object({
  attorney: text(200).default(''),
  barNumber: text(50).default(''),
  firm: text(200).default(''),
  address: z.array(text(200)).max(6, 'at most 6 address lines').default([]),
  email: text(200).default(''),
  phone: text(50).default(''),
  /** Date written under the signature; empty means the generation date. */
  dated: text(40).default(''),
  role: text(200).default(''),
});
export type SignatureBlock = z.infer<typeof SignatureBlock>;

export const ReportFilters = z.object({
  facilityIds: z.array(Id).max(500, 'at most 500 facilities').default([]),
  categories: z.array(CategoryCode).max(16, 'at most 16 categories').default([]),
  statuses: z.array(IncidentStatus).max(3, 'at most 3 statuses').default(['new', 'verified']),
  /** Only people who consented to use in filings (the default; turning it off is for internal use). */
  consentOnly: z.boolean().default(true),
  /** Only incidents marked for inclusion in reports. */
  includedOnly: z.boolean().default(true),
});
export type ReportFilters = z.infer<typeof ReportFilters>;

/**
 * A paralegal's choice on one span of the redaction review: keep it as the public text shows it, or
 * redact it by hand. `at` names the text ("incident:<id>:summary", "methodNote:0", "title"), or "*"
 * for the span wherever it occurs; `text` is the span as the public text shows it.
 */
export const REVIEW_CHOICES = ['accept', 'redact'] as const;
export const ReviewDecision = z.object({
  // A locator, never free text: "title", "methodNote:<n>", "incident:<id>:<field>", or "*".
  at: z
    .string()
    .trim()
    .min(1, 'say where the span is')
    .max(300, 'must be at most 300 characters')
    .regex(/^(\*|title|methodNote:\d+|incident:[0-9A-Za-z]+:[A-Za-z]+)$/, 'must be title, methodNote:<n>, incident:<id>:<field> or *'),
  text: z.string().min(1, 'the span is empty').max(500, 'must be at most 500 characters'),
  choice: z.enum(REVIEW_CHOICES, 'must be accept or redact'),
});
export type ReviewDecision = z.infer<typeof ReviewDecision>;

export const ReportDefinitionInput = z
  .object({
    name: required(200, 'Name'),
    caption: Caption,
    title: required(300, 'Title'),
    exhibitLabel: required(40, 'Exhibit label'),
    periodFrom: IsoDate,
    periodTo: IsoDate,
    filters: ReportFilters.default({ facilityIds: [], categories: [], statuses: ['new', 'verified'], consentOnly: true, includedOnly: true }),
    profile: RedactionProfile.default('public'),
    columns: z
      .array(LogColumn)
      .min(1, 'choose at least one column')
      .max(LOG_COLUMNS.length, 'too many columns')
      .refine((c) => new Set(c).size === c.length, 'a column is listed twice')
      .default(DEFAULT_LOG_COLUMNS),
    sort: SortKey.default('date'),
    methodNote: text(20_000).default(''),
    signature: SignatureBlock.default({ attorney: '', barNumber: '', firm: '', address: [], email: '', phone: '', dated: '', role: '' }),
    /** Choices made in the redaction review of the public exhibit (see shared/report/review.ts). */
    review: z.array(ReviewDecision).max(20_000, 'at most 20,000 review choices').default([]),
  })
  .refine((d) => d.periodFrom <= d.periodTo, { message: 'the period must end on or after its start', path: ['periodTo'] });
export type ReportDefinitionInput = z.input<typeof ReportDefinitionInput>;
export type ReportDefinition = z.output<typeof ReportDefinitionInput>;

/** What a public docket may show of an A-number: nothing, or its last three digits. */
export const ANumberPolicy = z.enum(['omit', 'last3'], 'must be omit or last3');

/** Bates numbers stamped on a filing bundle: prefix, first number, digits (zero-padded). */
export const BatesSettings = z.object({
  prefix: z
    .string()
    .trim()
    .max(20, 'must be at most 20 characters')
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, - and _ only')
    .default('ATTEST'),
  start: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(99_999_999, 'must be at most 99,999,999').default(1),
  digits: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(10, 'must be at most 10').default(6),
});
export type BatesSettings = z.output<typeof BatesSettings>;
export const DEFAULT_BATES: BatesSettings = { prefix: 'ATTEST', start: 1, digits: 6 };

export const OfficeSettings = z.object({
  officeName: text(200).default(''),
  aNumberInPublic: ANumberPolicy.default('omit'),
  bates: BatesSettings.optional(),
  caption: Caption.optional(),
  signature: SignatureBlock.optional(),
});
export type OfficeSettingsInput = z.input<typeof OfficeSettings>;
export type OfficeSettings = z.output<typeof OfficeSettings>;

export const DEFAULT_OFFICE_SETTINGS: OfficeSettings = { officeName: '', aNumberInPublic: 'omit' };

/** The office default caption, used when no definition is given (CLI without --definition). */
export function defaultDefinition(settings: OfficeSettings, period: { from: string; to: string }): ReportDefinition {
  return ReportDefinitionInput.parse({
    name: 'All included incidents',
    caption: settings.caption ?? {
      court: 'UNITED STATES DISTRICT COURT',
      division: 'EASTERN DISTRICT OF MICHIGAN, SOUTHERN DIVISION',
      caseName: 'Class members v. Immigration and Customs Enforcement',
      parties: ['Petitioners-Plaintiffs,', 'v.', 'Respondents-Defendants.'],
      caseNumber: 'No. (to be completed)',
    },
    title: 'Status report: incidents reported by class members',
    exhibitLabel: 'Exhibit A',
    periodFrom: period.from,
    periodTo: period.to,
    signature: settings.signature ?? undefined,
  });
}
