// Human labels for every stored field and code, used by forms, detail pages and the history viewer.
import {
  CATEGORIES,
  CLASS_MEMBERSHIP_LABELS,
  DATE_PRECISION_LABELS,
  DECLARATION_STATUS_LABELS,
  DOCUMENT_KIND_LABELS,
  INCIDENT_STATUS_LABELS,
  INTERVIEW_MODE_LABELS,
  OPERATOR_LABELS,
  REMOVAL_ORDER_LABELS,
  STAFF_ROLE_LABELS,
  STANDARD_LABELS,
  type CategoryCode,
} from '../../../shared/vocab';
import { formatANumber } from '../../../shared/a-number';
import { formatAny } from './format';

export const PERSON_FIELDS: Record<string, string> = {
  familyName: 'Family name',
  givenName: 'Given name',
  nameOriginal: 'Name in original script',
  aNumber: 'A-number',
  filingCode: 'Filing code',
  birthDate: 'Birth date',
  nationality: 'Nationality',
  languages: 'Languages',
  interpreterNeeded: 'Interpreter needed',
  currentFacilityId: 'Current facility',
  detainedSince: 'Detained since',
  classMembership: 'Class membership',
  removalOrderStatus: 'Removal order',
  counsel: 'Counsel',
  consentGiven: 'Consent to use in filings',
  consentDate: 'Consent date',
  consentScope: 'Consent scope',
};

export const INTERVIEW_FIELDS: Record<string, string> = {
  personId: 'Person',
  startedAt: 'Date and time',
  place: 'Place',
  interviewer: 'Interviewer',
  mode: 'Mode',
  interpreter: 'Interpreter',
  interpreterLanguage: 'Interpreter language',
  durationMinutes: 'Duration (minutes)',
  declarationStatus: 'Declaration',
  declarationSignedOn: 'Declaration signed on',
  notes: 'Notes',
};

export const INCIDENT_FIELDS: Record<string, string> = {
  personId: 'Person',
  interviewId: 'Source interview',
  facilityId: 'Facility',
  occurredOn: 'When',
  occurredUntil: 'Until',
  datePrecision: 'Date precision',
  categories: 'Categories',
  summary: 'Summary',
  ownWords: 'Own words',
  staffInvolved: 'Staff involved',
  witnesses: 'Witnesses',
  deprivationMinutes: 'Deprivation lasted',
  documentPressed: 'Document pressed to sign',
  documentOther: 'Other document',
  documentSigned: 'Document signed',
  counselPresent: 'Counsel present',
  grievanceFiled: 'Grievance filed',
  grievanceAnswer: 'Grievance answer',
  corroboration: 'Corroboration',
  raisedWithOpposingCounselOn: 'Raised with opposing counsel',
  status: 'Status',
  includeInReport: 'Include in report',
};

export const FACILITY_FIELDS: Record<string, string> = {
  name: 'Name',
  city: 'City',
  state: 'State',
  operator: 'Operator',
  operatorName: 'Operator name',
  standard: 'Detention standard',
};

const ENUMS: Record<string, Record<string, string>> = {
  classMembership: CLASS_MEMBERSHIP_LABELS,
  removalOrderStatus: REMOVAL_ORDER_LABELS,
  mode: INTERVIEW_MODE_LABELS,
  declarationStatus: DECLARATION_STATUS_LABELS,
  datePrecision: DATE_PRECISION_LABELS,
  documentPressed: DOCUMENT_KIND_LABELS,
  status: INCIDENT_STATUS_LABELS,
  operator: OPERATOR_LABELS,
  standard: STANDARD_LABELS,
};

export function fieldLabel(fields: Record<string, string>) {
  return (field: string): string => fields[field] ?? fields[field.split('.')[0]!] ?? field;
}

export function categoryLabel(code: string): string {
  return CATEGORIES[code as CategoryCode]?.label ?? code;
}

export function formatMinutes(min: number | null | undefined): string {
  if (min === null || min === undefined) return '';
  if (min === 0) return '0 minutes';
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  const unit = (n: number, one: string) => n && `${n} ${one}${n > 1 ? 's' : ''}`;
  return [unit(d, 'day'), unit(h, 'hour'), unit(m, 'minute')].filter(Boolean).join(' ');
}

export function staffLine(s: { role: string; name: string | null; badge: string | null }): string {
  const role = STAFF_ROLE_LABELS[s.role as keyof typeof STAFF_ROLE_LABELS] ?? s.role;
  return [role, s.name, s.badge && `badge ${s.badge}`].filter(Boolean).join(' · ');
}

/** Renders a stored value for display; `names` resolves ids of people and facilities. */
export function formatField(names: (id: string) => string | undefined) {
  return (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '';
    const key = field.split('.')[0]!;
    if (ENUMS[key] && typeof value === 'string') return ENUMS[key][value] ?? value;
    if (key === 'categories' && Array.isArray(value)) return value.map((c) => categoryLabel(String(c))).join(', ');
    if (key === 'aNumber' && typeof value === 'string') return formatANumber(value);
    if ((key === 'deprivationMinutes' || key === 'durationMinutes') && typeof value === 'number') return formatMinutes(value);
    if (key === 'staffInvolved' && Array.isArray(value)) {
      return (value as { role: string; name: string | null; badge: string | null }[]).map(staffLine).join('; ');
    }
    if (key === 'witnesses' && Array.isArray(value)) {
      return (value as { personId: string | null; description: string | null }[])
        .map((w) => (w.personId ? (names(w.personId) ?? w.personId) : (w.description ?? '')))
        .join('; ');
    }
    if (key === 'languages' && Array.isArray(value)) return value.join(', ');
    if (typeof value === 'string' && /Id$/.test(key)) return names(value) ?? value;
    return formatAny(value);
  };
}

/** An incident's date as recorded: a month shows as YYYY-MM, an approximate date with "~". */
export function formatWhen(i: { occurredOn: string; occurredUntil: string | null; datePrecision: string }): string {
  const show = (d: string) => (i.datePrecision === 'month' ? d.slice(0, 7) : d);
  return `${i.datePrecision === 'approximate' ? '~ ' : ''}${show(i.occurredOn)}${i.occurredUntil ? ` – ${show(i.occurredUntil)}` : ''}`;
}
