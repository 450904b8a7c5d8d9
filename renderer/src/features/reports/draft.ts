/** The report builder's form state, and its conversions to and from a stored report definition. */
import type { ChannelOutput } from '../../../../shared/contract';
import { DEFAULT_LOG_COLUMNS, type LogColumn, type ReportDefinitionInput, type ReviewDecision } from '../../../../shared/report/definition';
import type { CategoryCode } from '../../../../shared/vocab';
import type { OfficeSettings } from './office-settings';
import { lastMonth } from './period';

export type Profile = 'public' | 'sealed' | 'internal';
export type Format = 'pdf' | 'docx' | 'xlsx' | 'csv' | 'html';
export type Preview = ChannelOutput<'reports:preview'>;

export interface Draft {
  name: string;
  exhibitLabel: string;
  title: string;
  court: string;
  division: string;
  caseName: string;
  parties: string;
  caseNumber: string;
  judge: string;
  magistrateJudge: string;
  classAction: boolean;
  periodFrom: string;
  periodTo: string;
  profile: Profile;
  consentOnly: boolean;
  includedOnly: boolean;
  categories: string[];
  facilityIds: string[];
  statuses: string[];
  columns: string[];
  sort: 'date' | 'facility' | 'filingCode';
  methodNote: string;
  attorney: string;
  barNumber: string;
  firm: string;
  address: string;
  email: string;
  phone: string;
  /** Choices of the redaction review. */
  review: ReviewDecision[];
}

/** A new definition for last month, dated from today (asked each time: the app stays open for days). */
export function emptyDraft(): Draft {
  const period = lastMonth(new Date().toISOString().slice(0, 10));
  return {
    name: 'Status report',
    exhibitLabel: 'Exhibit A',
    title: 'Status report: incidents reported by class members',
    court: 'UNITED STATES DISTRICT COURT',
    division: 'EASTERN DISTRICT OF MICHIGAN, SOUTHERN DIVISION',
    caseName: '',
    parties: 'Petitioners-Plaintiffs,\nv.\nRespondents-Defendants.',
    caseNumber: '',
    judge: '',
    magistrateJudge: '',
    classAction: true,
    periodFrom: period.from,
    periodTo: period.to,
    profile: 'public',
    consentOnly: true,
    includedOnly: true,
    categories: [],
    facilityIds: [],
    statuses: ['new', 'verified'],
    columns: [...DEFAULT_LOG_COLUMNS],
    sort: 'date',
    methodNote: '',
    attorney: '',
    barNumber: '',
    firm: '',
    address: '',
    email: '',
    phone: '',
    review: [],
  };
}

const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);

export const DRAFT_KEY = 'report-builder';
export interface BuilderDraft {
  v: 1;
  draft: Draft;
  saved: { id: string; version: number } | null;
}

/** A kept draft, if it has the shape this version of the builder writes. */
export function asBuilderDraft(x: unknown): BuilderDraft | null {
  if (!x || typeof x !== 'object') return null;
  const d = x as Partial<BuilderDraft>;
  if (d.v !== 1 || !d.draft || typeof d.draft !== 'object') return null;
  const empty = emptyDraft();
  const draft = { ...empty, ...d.draft };
  for (const k of Object.keys(empty) as (keyof Draft)[]) if (typeof draft[k] !== typeof empty[k]) return null;
  return { v: 1, draft, saved: d.saved && typeof d.saved.id === 'string' && typeof d.saved.version === 'number' ? d.saved : null };
}

type CaptionOut = ChannelOutput<'reports:get'>['definition']['caption'];
type SignatureOut = ChannelOutput<'reports:get'>['definition']['signature'];

/** The caption's fields of the form, from a stored caption (a definition's or the office default). */
function captionFields(c: CaptionOut): Pick<Draft, 'court' | 'division' | 'caseName' | 'parties' | 'caseNumber' | 'judge' | 'magistrateJudge' | 'classAction'> {
  return { court: c.court, division: c.division, caseName: c.caseName, parties: c.parties.join('\n'), caseNumber: c.caseNumber, judge: c.judge, magistrateJudge: c.magistrateJudge, classAction: c.classAction };
}

/** The signature block's fields of the form, from a stored signature block. */
function signatureFields(g: SignatureOut): Pick<Draft, 'attorney' | 'barNumber' | 'firm' | 'address' | 'email' | 'phone'> {
  return { attorney: g.attorney, barNumber: g.barNumber, firm: g.firm, address: g.address.join('\n'), email: g.email, phone: g.phone };
}

/** A new draft takes the office's default caption and signature, where the office has set them. */
export function withOfficeDefaults(d: Draft, s: OfficeSettings): Draft {
  return { ...d, ...(s.caption && captionFields(s.caption)), ...(s.signature && signatureFields(s.signature)) };
}

export function toDefinition(d: Draft): ReportDefinitionInput {
  return {
    name: d.name,
    caption: {
      court: d.court,
      division: d.division,
      caseName: d.caseName,
      parties: lines(d.parties),
      caseNumber: d.caseNumber,
      judge: d.judge,
      magistrateJudge: d.magistrateJudge,
      classAction: d.classAction,
    },
    title: d.title,
    exhibitLabel: d.exhibitLabel,
    periodFrom: d.periodFrom,
    periodTo: d.periodTo,
    filters: {
      facilityIds: d.facilityIds,
      categories: d.categories as CategoryCode[],
      statuses: d.statuses as ('new' | 'verified' | 'excluded')[],
      consentOnly: d.consentOnly,
      includedOnly: d.includedOnly,
    },
    profile: d.profile,
    columns: d.columns as LogColumn[],
    sort: d.sort,
    methodNote: d.methodNote,
    signature: { attorney: d.attorney, barNumber: d.barNumber, firm: d.firm, address: lines(d.address), email: d.email, phone: d.phone, dated: '', role: '' },
    review: d.review,
  };
}

export function fromDefinition(def: ChannelOutput<'reports:get'>['definition']): Draft {
  return {
    name: def.name,
    exhibitLabel: def.exhibitLabel,
    title: def.title,
    ...captionFields(def.caption),
    periodFrom: def.periodFrom,
    periodTo: def.periodTo,
    profile: def.profile,
    consentOnly: def.filters.consentOnly,
    includedOnly: def.filters.includedOnly,
    categories: def.filters.categories,
    facilityIds: def.filters.facilityIds,
    statuses: def.filters.statuses,
    columns: def.columns,
    sort: def.sort,
    methodNote: def.methodNote,
    ...signatureFields(def.signature),
    review: def.review ?? [],
  };
}
