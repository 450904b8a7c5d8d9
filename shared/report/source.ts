import type { CategoryCode } from '../vocab';
import type { INCIDENT_STATUSES } from '../vocab';

type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

// One incident with everything an exhibit may show about it, as the database query returns it.
// The report model is built from these rows alone, so it can be tested without a database.

export type DatePrecision = 'exact' | 'month' | 'approximate';

export interface SourcePerson {
  id: string;
  /** Stable public code, CM-###. */
  filingCode: string;
  familyName: string;
  givenName: string;
  /** Name in the original script (often Arabic). */
  nameOriginal: string | null;
  /** Other spellings and aliases the person is known by. */
  nameVariants: string[];
  /** Nine digits. */
  aNumber: string;
  birthDate: string | null;
  /** Consented to use of their account in filings. */
  consent: boolean;
}

/** A witness: a person in the records (then their filing code is used), or a free-text description. */
export interface SourceWitness {
  personId: string | null;
  /** "Daniel Okafor, cellmate"; for a person in the records, their name. */
  name: string;
}

export interface ReportSourceRow {
  incidentId: string;
  occurredOn: string;
  /** Last day of a date range, or null. */
  occurredUntil: string | null;
  precision: DatePrecision;
  categories: CategoryCode[];
  summary: string;
  ownWords: string | null;
  status: IncidentStatus;
  includeInReport: boolean;
  counselPresent: boolean | null;
  /** I-210 voluntary departure, stipulated removal, travel document, other; null when none. */
  documentType: string | null;
  documentSigned: boolean | null;
  grievanceFiled: boolean | null;
  grievanceAnswer: string | null;
  facility: { id: string; name: string; city: string; state: string; standard: string };
  person: SourcePerson;
  witnesses: SourceWitness[];
  interview: { id: string; date: string; declaration: string | null } | null;
}

/**
 * What choosing, ordering, counting and the redactor's name tables need of an incident: no free
 * text. A preview reads these for every incident in the period and the whole rows only for the log
 * rows it shows.
 */
export type ReportKeyRow = Pick<
  ReportSourceRow,
  'incidentId' | 'occurredOn' | 'occurredUntil' | 'precision' | 'categories' | 'status' | 'includeInReport' | 'facility' | 'person' | 'witnesses' | 'interview'
>;

/** The incidents' key rows, and how to read the whole rows of some of them (in the order given). */
export interface ReportKeySource {
  rows: ReportKeyRow[];
  people: SourcePerson[];
  load: (keys: readonly ReportKeyRow[]) => ReportSourceRow[];
}

export interface ReportSource {
  rows: ReportSourceRow[];
  /** Everyone in the records whose name could appear in free text (witnesses, relatives). */
  people: SourcePerson[];
}

/**
 * Incidents of the period alike in everything choosing and counting reads of them (inclusion,
 * status, their person's consent, facility, categories), and how many there are: what a preview
 * counts from, grouped by the database, instead of a key row per incident.
 */
export interface TallyGroup {
  includeInReport: boolean;
  status: IncidentStatus;
  categories: CategoryCode[];
  person: { consent: boolean };
  facility: ReportSourceRow['facility'];
  n: number;
}
