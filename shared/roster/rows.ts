// One roster row's cells turned into record fields: names split, dates read, vocabulary matched by
// code or label, yes/no understood. The record itself is then checked with the forms' zod schemas
// (electron/core/roster/plan.ts); what is refused here is what no schema could see (a formula, a
// character the file's encoding could not give, a date that is not one).
import { foldText } from '../text-fold';
import {
  CLASS_MEMBERSHIPS,
  CLASS_MEMBERSHIP_LABELS,
  DETENTION_STANDARDS,
  FACILITY_OPERATORS,
  OPERATOR_LABELS,
  REMOVAL_ORDER_LABELS,
  REMOVAL_ORDER_STATUSES,
  STANDARD_LABELS,
} from '../vocab';
import { parseDate, type DateOrder } from './dates';
import { DATE_FIELDS, type ImportField } from './fields';

export interface CellIssue {
  field: ImportField;
  message: string;
}

/** Field → the value read from the row (strings, string[], boolean); blank cells are left out. */
export type RowValues = Partial<Record<ImportField, string | string[] | boolean>>;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A cell a spreadsheet would run as a formula (=, +, @, or - before something not a number). */
export function looksLikeFormula(s: string): boolean {
  return /^[=+@]/.test(s) || /^-[^\d\s.]/.test(s);
}

const fold = (s: string) => foldText(s).replace(/[^\p{L}\p{N}]+/gu, '');

function vocab<T extends string>(codes: readonly T[], labels: Record<T, string>, extra: Record<string, T> = {}) {
  const map = new Map<string, T>();
  for (const c of codes) {
    map.set(fold(c), c);
    map.set(fold(labels[c]), c);
  }
  for (const [k, v] of Object.entries(extra)) map.set(fold(k), v);
  return (s: string): T | null => map.get(fold(s)) ?? null;
}

const classMembership = vocab(CLASS_MEMBERSHIPS, CLASS_MEMBERSHIP_LABELS, {
  yes: 'member', y: 'member', x: 'member', true: 'member', '1': 'member', member: 'member',
  no: 'not_member', n: 'not_member', false: 'not_member', '0': 'not_member', 'not member': 'not_member', nonmember: 'not_member',
});
const removalOrder = vocab(REMOVAL_ORDER_STATUSES, REMOVAL_ORDER_LABELS, {
  pending: 'proceedings_pending', 'in proceedings': 'proceedings_pending', final: 'final_order', 'final order': 'final_order',
  appeal: 'appeal_pending', 'on appeal': 'appeal_pending', stipulated: 'stipulated', 'stipulated removal': 'stipulated', none: 'none',
});
const operator = vocab(FACILITY_OPERATORS, OPERATOR_LABELS, { ice: 'ICE_OWNED', spc: 'ICE_OWNED', cdf: 'CONTRACT', igsa: 'COUNTY_IGSA', county: 'COUNTY_IGSA', private: 'PRIVATE' });
const standard = vocab(DETENTION_STANDARDS, STANDARD_LABELS, { pbnds: 'PBNDS_2011', nds: 'NDS_2019', 'pbnds 2011': 'PBNDS_2011', 'nds 2019': 'NDS_2019' });
const yesNo = (s: string): boolean | null => {
  const k = fold(s);
  if (['yes', 'y', 'true', '1', 'x', 'si', 'oui', 'نعم'].includes(k)) return true;
  if (['no', 'n', 'false', '0', 'non', 'لا'].includes(k)) return false;
  return null;
};

/**
 * Reads a row's mapped cells. `columns` gives, for each mapped field, the column index; `orders`
 * the day/month order chosen (or decided) for each date field.
 */
export function readRow(
  cells: readonly string[],
  columns: Partial<Record<ImportField, number>>,
  orders: Partial<Record<ImportField, DateOrder | null>>,
): { values: RowValues; issues: CellIssue[] } {
  const values: RowValues = {};
  const issues: CellIssue[] = [];
  for (const [field, col] of Object.entries(columns) as [ImportField, number][]) {
    const raw = (cells[col] ?? '').trim();
    if (!raw) continue;
    if (LONE_SURROGATE.test(raw) || raw.includes('\uFFFD')) {
      issues.push({ field, message: 'contains a character the file does not give whole (a broken or unreadable character); retype it or save the file as UTF-8' });
      continue;
    }
    if (looksLikeFormula(raw)) {
      issues.push({ field, message: `starts with "${raw[0]}" like a spreadsheet formula; remove the formula and keep only the value` });
      continue;
    }
    if (DATE_FIELDS.includes(field)) {
      const d = parseDate(raw, orders[field] ?? null);
      if (d.ok) values[field] = d.value;
      else issues.push({ field, message: d.message });
      continue;
    }
    switch (field) {
      case 'fullName': {
        const comma = raw.indexOf(',');
        if (comma < 0) {
          issues.push({ field, message: 'write the name as "Family, Given" (with a comma), or map separate family and given name columns' });
        } else {
          values.familyName = raw.slice(0, comma).trim();
          values.givenName = raw.slice(comma + 1).trim();
        }
        break;
      }
      case 'languages':
        values.languages = raw.split(/\s*[,;/|،؛]\s*/).filter(Boolean);
        break;
      case 'interpreterNeeded': {
        const b = yesNo(raw);
        if (b === null) issues.push({ field, message: `${raw.slice(0, 40)}: write yes or no` });
        else values.interpreterNeeded = b;
        break;
      }
      case 'classMembership':
        values.classMembership = classMembership(raw) ?? raw;
        break;
      case 'removalOrderStatus':
        values.removalOrderStatus = removalOrder(raw) ?? raw;
        break;
      case 'operator':
      case 'facilityOperator':
        values[field] = operator(raw) ?? raw;
        break;
      case 'standard':
        values.standard = standard(raw) ?? raw;
        break;
      case 'state':
      case 'facilityState':
        values[field] = raw.toUpperCase();
        break;
      default:
        values[field] = raw;
    }
  }
  return { values, issues };
}
