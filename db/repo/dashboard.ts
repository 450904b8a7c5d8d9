// The dashboard's numbers. For every filter but the person they are sums over incident_counts (kept
// by triggers, migration 0010), whose keys carry the status, the two answers, the category and the
// facility at the grain of the bars: a few hundred rows for the first view, thousands at most for
// the others, whatever the number of incidents. A period filter that cuts through a week or month
// adds that period's days. A person's incidents (few, on their own index) are aggregated themselves,
// through the incident list's own WHERE.
import type { Db } from '../driver';
import { rawStmt, stmt } from '../stmt';
import { whereOf, type IncidentFilter } from './incidents';
import { CATEGORY_CODES, INCIDENT_STATUSES, type CategoryCode } from '../../shared/vocab';

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

/** Every filter but the person is carried in the counts' keys; a person's incidents are read themselves. */
function tallied(f: DashboardFilter): boolean {
  return f.personId === undefined;
}

/** One group of matching incidents: its category ('' = the incidents themselves), first and last day (or their periods' first days), how many. */
type Span = [category: string, day: string, until: string, n: number];
type FacilityRow = [facilityId: string, n: number, counselYes: number, counselKnown: number, signedYes: number, signedKnown: number];

const STATUS_LIST = INCIDENT_STATUSES.map((s) => `'${s}'`).join(', ');
const CATEGORY_LIST = ["''", ...CATEGORY_CODES.map((c) => `'${c}'`)].join(', ');

/**
 * The key columns' conditions for the filters (not the period). `probe` gives the columns before
 * the last one asked as lists of their values, so the primary key is searched, not scanned; 'day'
 * lists every column before the facility (status, counsel, signed, category), so the D grain's
 * day indexes (migration 0011) are searched down to the day.
 */
function keyWhere(f: DashboardFilter, category: string | undefined, probe: boolean | 'day'): { w: string[]; p: unknown[] } {
  const w: string[] = [];
  const p: unknown[] = [];
  const eq = (col: string, v: unknown) => {
    w.push(`${col} = ?`);
    p.push(v);
  };
  // The key's columns in order, each with its value asked (or undefined) and the list of all its values.
  const cols: [string, unknown, string][] = [
    ['status', f.status, STATUS_LIST],
    ['counsel', f.counselPresent === undefined ? undefined : f.counselPresent ? 1 : 0, '0, 1, 2'],
    ['signed', f.documentSigned === undefined ? undefined : f.documentSigned ? 1 : 0, '0, 1, 2'],
    ['category', category, CATEGORY_LIST],
    ['facility_id', f.facilityId, ''],
  ];
  let last = -1;
  cols.forEach(([, v], i) => {
    if (v !== undefined) last = i;
  });
  if (probe === 'day') last = Math.max(last, 4);
  cols.forEach(([col, v, all], i) => {
    if (v !== undefined) eq(col, v);
    else if (probe && i < last) w.push(`${col} IN (${all})`);
  });
  return { w, p };
}

/** The d and Df grains' conditions: the category (each in turn when none is asked, for the index) and the facility. */
function fewKeys(f: DashboardFilter, category: string | undefined): { w: string[]; p: unknown[] } {
  const w = [category !== undefined ? 'category = ?' : `category IN (${CATEGORY_LIST})`];
  const p: unknown[] = category !== undefined ? [category] : [];
  if (f.facilityId !== undefined) {
    w.push('facility_id = ?');
    p.push(f.facilityId);
  }
  return { w, p };
}

const DAY_AFTER = (d: string) => iso(ms(d) + DAY);

/**
 * Counts over a period filter from the grain of a bucket: the groups whose weeks (or months) lie
 * wholly inside [from, to] at that grain, and the days of the partly covered first and last period
 * at the day grain (so a filter that cuts through a month reads at most two months of days).
 */
function overGrain(
  f: DashboardFilter,
  grain: { name: string; bucket: 'week' | 'month'; full: boolean },
  category: string | undefined,
  select: string,
  group: string,
  byFacility = false,
): Query {
  const key = grain.full ? keyWhere(f, category, true) : { w: category !== undefined ? ['category = ?'] : [], p: category !== undefined ? [category] : [] };
  const parts: string[] = [];
  const params: unknown[] = [];
  const sure = [`grain = '${grain.name}'`, ...key.w];
  const sureP = [...key.p];
  // Incidents whose first day's period starts before `to`'s (or at it, when `to` ends its period) begin in time.
  const toCut = f.to !== undefined && DAY_AFTER(f.to) !== periodOf(f.to, grain.bucket).next;
  const fromCut = f.from !== undefined && f.from !== periodOf(f.from, grain.bucket).start;
  if (f.to !== undefined) {
    sure.push('g1 < ?');
    sureP.push(toCut ? periodOf(f.to, grain.bucket).start : periodOf(f.to, grain.bucket).next);
  }
  if (f.from !== undefined) {
    sure.push('g2 >= ?');
    sureP.push(fromCut ? periodOf(f.from, grain.bucket).next : periodOf(f.from, grain.bucket).start);
  }
  parts.push(`SELECT ${select} FROM incident_counts WHERE ${sure.join(' AND ')} GROUP BY ${group}`);
  params.push(...sureP);
  // The days of the period `to` cuts, and of the period `from` cuts (not counted twice): from the D
  // grain when a status or answer is asked, searched by its key and day (migration 0011), else from
  // d (categories only) or Df (with the facility), whose keys are few, searched by category and day.
  const answered = f.status !== undefined || f.counselPresent !== undefined || f.documentSigned !== undefined;
  const day = answered
    ? { grain: 'D', first: 'incident_counts_day', last: 'incident_counts_until', key: keyWhere(f, category, 'day') }
    : byFacility || f.facilityId !== undefined
      ? { grain: 'Df', first: 'incident_counts_df_day', last: 'incident_counts_df_until', key: fewKeys(f, category) }
      : { grain: 'd', first: 'incident_counts_d_day', last: 'incident_counts_d_until', key: fewKeys(f, category) };
  const dayWhere = day.key.w.map((c) => ` AND ${c}`).join('');
  if (toCut) {
    parts.push(
      `SELECT ${select} FROM incident_counts INDEXED BY ${day.first} WHERE grain = '${day.grain}'${dayWhere} AND g1 >= ? AND g1 <= ? AND g2 >= ? GROUP BY ${group}`,
    );
    params.push(...day.key.p, periodOf(f.to!, grain.bucket).start, f.to, f.from ?? '');
  }
  if (fromCut) {
    const before = toCut ? ['g1 < ?', periodOf(f.to!, grain.bucket).start] : f.to !== undefined ? ['g1 <= ?', f.to] : null;
    parts.push(
      `SELECT ${select} FROM incident_counts INDEXED BY ${day.last} WHERE grain = '${day.grain}'${dayWhere} AND g2 >= ? AND g2 < ?${before ? ` AND ${before[0]}` : ''} GROUP BY ${group}`,
    );
    params.push(...day.key.p, f.from, periodOf(f.from!, grain.bucket).next, ...(before ? [before[1]] : []));
  }
  return { sql: parts.join(' UNION ALL '), params };
}

type Query = { sql: string; params: unknown[] };
const run = (db: Db, q: Query) => rawStmt(db, q.sql).all(...q.params) as unknown[][];

/** Rows of a union summed by their first `keys` columns. */
function merge<T extends unknown[]>(rows: unknown[][], keys: number): T[] {
  const out = new Map<string, T>();
  for (const r of rows) {
    const k = r.slice(0, keys).join('\u0000');
    const have = out.get(k);
    if (!have) out.set(k, [...r] as T);
    else for (let i = keys; i < r.length; i++) (have[i] as number) += r[i] as number;
  }
  return [...out.values()];
}

/** The two queries over the counts for a filter without a person: the bars' spans, and the facilities with the answers. */
export function countQueries(f: DashboardFilter): { spans: Query; facilities: Query } {
  // The bars come from the w and m grains (categories only) for the first view, from Ws and Ms (any
  // facility) for a status or an answer, and from W and M (everything) for a facility.
  const answered = f.status !== undefined || f.counselPresent !== undefined || f.documentSigned !== undefined;
  const letter = f.bucket === 'week' ? 'W' : 'M';
  const name = f.facilityId !== undefined ? letter : answered ? `${letter}s` : letter.toLowerCase();
  const bars = { name, bucket: f.bucket, full: f.facilityId !== undefined || answered };
  return {
    spans: overGrain(f, bars, f.category, 'category, g1, g2, sum(n)', 'category, g1, g2'),
    facilities: overGrain(
      f,
      { name: 'M', bucket: 'month', full: true },
      // With a category filter its rows are the incidents; without, the '' rows are.
      f.category ?? '',
      'facility_id, sum(n), sum(counsel_yes), sum(counsel_known), sum(signed_yes), sum(signed_known)',
      'facility_id',
      true,
    ),
  };
}

function talliedRows(db: Db, f: DashboardFilter) {
  const q = countQueries(f);
  return { spans: merge<Span>(run(db, q.spans), 3), facilities: merge<FacilityRow>(run(db, q.facilities), 1), self: f.category ?? '' };
}

function directRows(db: Db, f: DashboardFilter) {
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
  return { spans: [...incidents, ...byCategory], facilities, self: '' };
}

/** Live incidents entered since Monday with the filters but the period: a week's entries, on their created_at index. */
function enteredSince(db: Db, f: DashboardFilter, since: string): number {
  const { w, params } = whereOf({ ...f, from: undefined, to: undefined, limit: 0, offset: 0, deleted: 'hide' });
  return (stmt(db, `SELECT count(*) AS n FROM incidents i INDEXED BY incidents_created WHERE i.created_at >= ? AND ${w}`).get(since, ...params) as { n: number }).n;
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
  const rows = tallied(f) ? talliedRows(db, f) : directRows(db, f);
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
    newThisWeek: { since, n: enteredSince(db, f, since) },
    openConflicts: openConflicts(db),
    outOfDateDrafts: outOfDateDrafts(db),
  };
}
