// The incident form's values and their conversion to and from the channel's shape. Pure (no
// React), so the rules are unit-tested: month precision, ranges, durations, tri-state answers.
import type { Incident } from '../../../../shared/schemas';
import type { CategoryCode } from '../../../../shared/vocab';

export type Tri = 'yes' | 'no' | 'unknown';
export type Unit = 'minutes' | 'hours' | 'days';

export interface IncidentValues {
  occurredOn: string;
  occurredUntil: string;
  datePrecision: string;
  categories: string[];
  facilityId: string;
  summary: string;
  ownWords: string;
  staffInvolved: { role: string; name: string; badge: string }[];
  witnesses: { personId: string; description: string }[];
  deprivationAmount: number | string;
  deprivationUnit: Unit;
  documentPressed: string;
  documentOther: string;
  documentSigned: Tri;
  counselPresent: Tri;
  grievanceFiled: boolean;
  grievanceAnswer: string;
  corroboration: string;
  raisedWithOpposingCounselOn: string;
  status: string;
  includeInReport: boolean;
}

export function emptyIncident(facilityId = ''): IncidentValues {
  return {
    occurredOn: '',
    occurredUntil: '',
    datePrecision: 'exact',
    categories: [],
    facilityId,
    summary: '',
    ownWords: '',
    staffInvolved: [],
    witnesses: [],
    deprivationAmount: '',
    deprivationUnit: 'hours',
    documentPressed: '',
    documentOther: '',
    documentSigned: 'unknown',
    counselPresent: 'unknown',
    grievanceFiled: false,
    grievanceAnswer: '',
    corroboration: '',
    raisedWithOpposingCounselOn: '',
    status: 'new',
    includeInReport: true,
  };
}

/** True when nothing was typed yet (a fresh form is not worth keeping as a draft). */
export function isBlankIncident(v: IncidentValues): boolean {
  const e = emptyIncident(v.facilityId);
  return JSON.stringify({ ...v, datePrecision: 'exact', deprivationUnit: 'hours' }) === JSON.stringify(e);
}

const tri = (t: Tri): boolean | null => (t === 'yes' ? true : t === 'no' ? false : null);
const fromTri = (b: boolean | null): Tri => (b === true ? 'yes' : b === false ? 'no' : 'unknown');
const UNIT_MINUTES: Record<Unit, number> = { minutes: 1, hours: 60, days: 1440 };

/** Checks the browser can make before asking the database: a choice left empty. */
export function incidentFormErrors(v: IncidentValues): Record<string, string> {
  const e: Record<string, string> = {};
  if (!v.facilityId) e.facilityId = 'choose the facility';
  if (!v.occurredOn) e.occurredOn = 'give the date, or the first day of the range';
  if (!v.categories.length) e.categories = 'choose at least one category';
  return e;
}

/** Form fields the stored field names map to, so a server message lands next to its input. */
export const INCIDENT_RENAME: Record<string, string> = { deprivationMinutes: 'deprivationAmount' };

function lastDayOfMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-${String(d).padStart(2, '0')}`;
}

/**
 * The values with another date precision. The dates stay as typed (a day keeps its day when the
 * precision goes to "Month only" and back); only what is shown and stored changes.
 */
export function withPrecision(v: IncidentValues, datePrecision: string): IncidentValues {
  return { ...v, datePrecision };
}

/** What a month input shows for a form date (a day or a month). */
export function monthOf(d: string): string {
  return /^\d{4}-\d{2}/.test(d) ? d.slice(0, 7) : d;
}

/** A month typed into a month input, keeping the day the form held (clamped to the month's length). */
export function withMonth(previous: string, ym: string): string {
  if (!/^\d{4}-\d{2}$/.test(ym)) return ym;
  const day = /^\d{4}-\d{2}-(\d{2})$/.exec(previous)?.[1];
  if (!day) return ym;
  const last = lastDayOfMonth(ym).slice(8);
  return `${ym}-${day > last ? last : day}`;
}

/** The channel input for these form values (without person, interview and write guard). */
export function incidentInput(v: IncidentValues) {
  const month = v.datePrecision === 'month';
  const amount = v.deprivationAmount === '' ? null : Number(v.deprivationAmount);
  return {
    facilityId: v.facilityId,
    occurredOn: month && /^\d{4}-\d{2}/.test(v.occurredOn) ? `${v.occurredOn.slice(0, 7)}-01` : v.occurredOn,
    occurredUntil: !v.occurredUntil
      ? null
      : month && /^\d{4}-\d{2}/.test(v.occurredUntil)
        ? lastDayOfMonth(v.occurredUntil.slice(0, 7))
        : v.occurredUntil || null,
    datePrecision: v.datePrecision as Incident['datePrecision'],
    categories: v.categories as CategoryCode[],
    summary: v.summary,
    ownWords: v.ownWords,
    staffInvolved: v.staffInvolved.map((s) => ({ role: s.role as Incident['staffInvolved'][number]['role'], name: s.name, badge: s.badge })),
    witnesses: v.witnesses.map((w) => (w.personId ? { personId: w.personId } : { description: w.description })),
    deprivationMinutes: amount === null || Number.isNaN(amount) ? null : Math.round(amount * UNIT_MINUTES[v.deprivationUnit]),
    documentPressed: (v.documentPressed || null) as Incident['documentPressed'],
    documentOther: v.documentPressed === 'other' ? v.documentOther : null,
    documentSigned: v.documentPressed ? tri(v.documentSigned) : null,
    counselPresent: tri(v.counselPresent),
    grievanceFiled: v.grievanceFiled,
    grievanceAnswer: v.grievanceFiled ? v.grievanceAnswer : null,
    corroboration: v.corroboration,
    raisedWithOpposingCounselOn: v.raisedWithOpposingCounselOn || null,
    status: v.status as Incident['status'],
    includeInReport: v.status === 'excluded' ? false : v.includeInReport,
  };
}

export function incidentToValues(i: Incident): IncidentValues {
  const mins = i.deprivationMinutes;
  const unit: Unit = mins === null ? 'hours' : mins % 1440 === 0 && mins > 0 ? 'days' : mins % 60 === 0 && mins > 0 ? 'hours' : 'minutes';
  return {
    occurredOn: i.occurredOn,
    occurredUntil: i.occurredUntil ?? '',
    datePrecision: i.datePrecision,
    categories: i.categories,
    facilityId: i.facilityId,
    summary: i.summary,
    ownWords: i.ownWords ?? '',
    staffInvolved: i.staffInvolved.map((s) => ({ role: s.role, name: s.name ?? '', badge: s.badge ?? '' })),
    witnesses: i.witnesses.map((w) => ({ personId: w.personId ?? '', description: w.description ?? '' })),
    deprivationAmount: mins === null ? '' : mins / UNIT_MINUTES[unit],
    deprivationUnit: unit,
    documentPressed: i.documentPressed ?? '',
    documentOther: i.documentOther ?? '',
    documentSigned: fromTri(i.documentSigned),
    counselPresent: fromTri(i.counselPresent),
    grievanceFiled: i.grievanceFiled,
    grievanceAnswer: i.grievanceAnswer ?? '',
    corroboration: i.corroboration ?? '',
    raisedWithOpposingCounselOn: i.raisedWithOpposingCounselOn ?? '',
    status: i.status,
    includeInReport: i.includeInReport,
  };
}

