// The dashboard's numbers. With only the period, facility and category filters (the dashboard's
// own), they are sums over incident_tally (kept by triggers, migration 0008): thousands of rows at a
// million incidents. Any other list filter (person, status, counsel, document) aggregates the
// matching incidents themselves, through the incident list's own WHERE and indexes.
import type { Db } from '../driver';
import { rawStmt, stmt } from '../stmt';
import { whereOf, type IncidentFilter } from './incidents';
import { CATEGORY_CODES, type CategoryCode } from '../../shared/vocab';

export interface DashboardFilter {
  facilityId?: string | undefined;
  category?: CategoryCode | undefined;
  from?: string | undefined;
  to?: string | undefined;
  personId?: string | undefined;
  status?: 'new' | 'verified' | 'excluded' | undefined;
  counselPresent?: boolean | undefined;
  documentSigned?: boolean | undefined;
  bucket: 'week' | 'month';
}

export interface Dashboard {
  total: number;
  bucket: 'week' | 'month';
  periods: { from: string; to: string; incidents: number; categories: { category: CategoryCode; n: number }[] }[];
  categories: { category: CategoryCode; n: number }[];
  facilities: { facilityId: string; name: string; n: number }[];
  counselPresent: { yes: number; answered: number };
  documentSigned: { yes: number; answered: number };
  newThisWeek: { since: string; n: number };
  openConflicts: number;
  outOfDateDrafts: number;
}

const DAY = 86_400_000;
/** At most this many empty bars are added to reach the ends of a period filter. */
export const MAX_PERIODS = 400;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);

/** The Monday (UTC) of a day's week. */
export function mondayOf(day: string): string {
  const t = ms(day);
  const dow = (new Date(t).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return iso(t - dow * DAY);
}

/** The period a day falls in, and the first day of the next one. */
function periodOf(day: string, bucket: 'week' | 'month'): { start: string; next: string } {
  if (bucket === 'week') {
    const start = mondayOf(day);
    return { start, next: iso(ms(start) + 7 * DAY) };
  }
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return { start: `${day.slice(0, 7)}-01`, next: m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${day.slice(0, 4)}-${String(m + 1).padStart(2, '0')}-01` };
}

/** Only the dashboard's own filters: the tallies answer. */
function tallied(f: DashboardFilter): boolean {
  return f.personId === undefined && f.status === undefined && f.counselPresent === undefined && f.documentSigned === undefined;
}

/** One group of matching incidents: its category ('' = the incidents themselves), first and last day (or their periods' first days), how many. */
type Span = [category: string, day: string, until: string, n: number];
type FacilityRow = [facilityId: string, n: number, counselYes: number, counselKnown: number, signedYes: number, signedKnown: number];

function talliedRows(db: Db, f: DashboardFilter, since: string) {
  const w: string[] = [];
  const p: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    w.push(sql);
    p.push(v);
  };
  if (f.facilityId) add('facility_id = ?', f.facilityId);
  if (f.to) add('day <= ?', f.to);
  if (f.from) add('until_day >= ?', f.from);
  const more = w.length ? ` AND ${w.join(' AND ')}` : '';
  // With a category filter its rows are the incidents; without, the '' rows are.
  const self = f.category ?? '';
  // Grouped by the periods of the first and last day (clipped to the period filter) in SQL, so a few
  // hundred rows reach JavaScript, not one per day; the week columns spare a date function per row.
  const [start, end] = f.bucket === 'week' ? ['week', 'until_week'] : [`substr(day, 1, 7) || '-01'`, `substr(until_day, 1, 7) || '-01'`];
  const spans = rawStmt(
    db,
    `SELECT category, CASE WHEN day < ? THEN ? ELSE ${start} END AS p1, CASE WHEN until_day > ? THEN ? ELSE ${end} END AS p2, sum(n)
       FROM incident_tally WHERE ${f.category ? 'category = ?' : '1'}${more} GROUP BY category, p1, p2`,
  ).all(
    f.from ?? '',
    f.from ? periodOf(f.from, f.bucket).start : '',
    f.to ?? '9999-12-31',
    f.to ? periodOf(f.to, f.bucket).start : '',
    ...(f.category ? [f.category] : []),
    ...p,
  ) as Span[];
  const facilities = rawStmt(
    db,
    `SELECT facility_id, sum(n), sum(counsel_yes), sum(counsel_known), sum(signed_yes), sum(signed_known)
       FROM incident_tally WHERE category = ?${more} GROUP BY facility_id`,
  ).all(self, ...p) as FacilityRow[];
  const fresh = stmt(
    db,
    `SELECT coalesce(sum(n), 0) AS n FROM incident_entered_tally WHERE entered_day >= ? AND category = ?${f.facilityId ? ' AND facility_id = ?' : ''}`,
  ).get(since, self, ...(f.facilityId ? [f.facilityId] : [])) as { n: number };
  return { spans, facilities, self, fresh: fresh.n };
}

function directRows(db: Db, f: DashboardFilter, since: string) {
  const filter: IncidentFilter = { ...f, limit: 0, offset: 0, deleted: 'hide' };
  const { w, params } = whereOf(filter);
  const incidents = rawStmt(
    db,
    `SELECT '', i.occurred_on, coalesce(i.occurred_until, i.occurred_on), count(*) FROM incidents i WHERE ${w} GROUP BY 2, 3`,
  ).all(...params) as Span[];
  const byCategory = rawStmt(
    db,
    `SELECT c.category, i.occurred_on, coalesce(i.occurred_until, i.occurred_on), count(*)
       FROM incidents i JOIN incident_categories c ON c.incident_id = i.id WHERE ${w}${f.category ? ' AND c.category = ?' : ''} GROUP BY 1, 2, 3`,
  ).all(...params, ...(f.category ? [f.category] : [])) as Span[];
  const facilities = rawStmt(
    db,
    `SELECT i.facility_id, count(*), sum(i.counsel_present IS 1), sum(i.counsel_present IS NOT NULL), sum(i.document_signed IS 1),
            sum(i.document_signed IS NOT NULL) FROM incidents i WHERE ${w} GROUP BY i.facility_id`,
  ).all(...params) as FacilityRow[];
  const undated = whereOf({ ...filter, from: undefined, to: undefined });
  const fresh = stmt(db, `SELECT count(*) AS n FROM incidents i WHERE ${undated.w} AND i.created_at >= ?`).get(...undated.params, since) as { n: number };
  return { spans: [...incidents, ...byCategory], facilities, self: '', fresh: fresh.n };
}

/** Records with a head that is not shown: edited on two laptops, no choice made yet. */
export function openConflicts(db: Db): number {
  return (stmt(db, `SELECT count(*) AS n FROM (SELECT DISTINCT entity, id FROM record_heads WHERE shown = 0)`).get() as { n: number }).n;
}

/** Kept edits (drafts keyed "incident.ID", "person.ID", "interview.ID") of a record changed since the edit began. */
export function outOfDateDrafts(db: Db): number {
  const tables = { incident: 'incidents', person: 'people', interview: 'interviews' } as const;
  const parts = Object.entries(tables).map(
    ([prefix, table]) =>
      `(d.key LIKE '${prefix}.%' AND EXISTS (SELECT 1 FROM ${table} r WHERE r.id = substr(d.key, ${prefix.length + 2})
          AND r.version > json_extract(d.data, '$.baseVersion')))`,
  );
  return (stmt(db, `SELECT count(*) AS n FROM drafts d WHERE json_valid(d.data) AND (${parts.join(' OR ')})`).get() as { n: number }).n;
}

export function dashboard(db: Db, f: DashboardFilter, today: string): Dashboard {
  const since = mondayOf(today);
  const rows = tallied(f) ? talliedRows(db, f, since) : directRows(db, f, since);
  const bucket = f.bucket;

  // Each span counts in every period it touches inside the period filter.
  const periods = new Map<string, { from: string; to: string; incidents: number; byCategory: Map<string, number> }>();
  const cache = new Map<string, { start: string; next: string }>();
  const period = (day: string) => {
    let p = cache.get(day);
    if (!p) cache.set(day, (p = periodOf(day, bucket)));
    return p;
  };
  const slot = (start: string) => {
    let s = periods.get(start);
    if (!s) {
      const { next } = period(start);
      const from = f.from && f.from > start ? f.from : start;
      const last = iso(ms(next) - DAY);
      periods.set(start, (s = { from, to: f.to && f.to < last ? f.to : last, incidents: 0, byCategory: new Map() }));
    }
    return s;
  };
  const categoryTotals = new Map<string, number>();
  let total = 0;
  for (const [category, day, until, n] of rows.spans) {
    const first = f.from && f.from > day ? f.from : day;
    const last = f.to && f.to < until ? f.to : until;
    const isSelf = category === rows.self;
    if (isSelf) total += n;
    if (category !== '') categoryTotals.set(category, (categoryTotals.get(category) ?? 0) + n);
    for (let p = period(first); p.start <= last; p = period(p.next)) {
      const s = slot(p.start);
      if (isSelf) s.incidents += n;
      if (category !== '') s.byCategory.set(category, (s.byCategory.get(category) ?? 0) + n);
    }
  }
  // No period is skipped between the first and the last; a period filter widens the axis to its
  // ends unless that would draw more than MAX_PERIODS bars (1990 to now by week).
  const fill = (first: string, last: string, dry: boolean) => {
    let k = 0;
    for (let p = period(first); p.start <= last; p = period(p.next)) {
      if (++k > MAX_PERIODS) return false;
      if (!dry) slot(p.start);
    }
    return true;
  };
  const data = [...periods.keys()].sort();
  const wide = [...data, ...(f.from ? [period(f.from).start] : []), ...(f.to ? [period(f.to).start] : [])].sort();
  if (wide.length && fill(wide[0]!, wide[wide.length - 1]!, true)) fill(wide[0]!, wide[wide.length - 1]!, false);
  else if (data.length) fill(data[0]!, data[data.length - 1]!, false);
  const order = (c: string) => CATEGORY_CODES.indexOf(c as CategoryCode);
  const byCount = (a: { n: number; category: string }, b: { n: number; category: string }) => b.n - a.n || order(a.category) - order(b.category);

  const names = new Map((stmt(db, `SELECT id, name FROM facilities`).all() as { id: string; name: string }[]).map((r) => [r.id, r.name]));
  const counselPresent = { yes: 0, answered: 0 };
  const documentSigned = { yes: 0, answered: 0 };
  const facilities = rows.facilities.map(([facilityId, n, cy, ck, sy, sk]) => {
    counselPresent.yes += cy;
    counselPresent.answered += ck;
    documentSigned.yes += sy;
    documentSigned.answered += sk;
    return { facilityId, name: names.get(facilityId) ?? facilityId, n };
  });
  facilities.sort((a, b) => b.n - a.n || a.name.localeCompare(b.name));

  return {
    total,
    bucket,
    periods: [...periods.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, s]) => ({
        from: s.from,
        to: s.to,
        incidents: s.incidents,
        categories: [...s.byCategory].map(([category, n]) => ({ category: category as CategoryCode, n })).sort(byCount),
      })),
    categories: [...categoryTotals].map(([category, n]) => ({ category: category as CategoryCode, n })).sort(byCount),
    facilities,
    counselPresent,
    documentSigned,
    newThisWeek: { since, n: rows.fresh },
    openConflicts: openConflicts(db),
    outOfDateDrafts: outOfDateDrafts(db),
  };
}
