// npm run bench [-- --scale] [-- --keep FILE]: speed goals of intake, measured on a deterministic
// generated data set. Prints medians and p95 with ratios against baselines measured in the same run.
// Default scale: 1,444 people / 30,000 incidents; --scale: 100,000 / 1,000,000 (takes minutes).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newId } from '../db/ids';
import { searchBody } from '../db/repo/incidents';
import { seed } from '../db/seed';
import { buildInput, resolveDefinition } from '../electron/core/report-export';
import { openSession } from '../electron/core/session';
import { ReportDefinitionInput } from '../shared/report/definition';
import { renderHtml } from '../shared/report/html';
import { buildReportModel } from '../shared/report/model';
import { ftsQuery } from '../shared/text-fold';
import { CATEGORIES, CATEGORY_CODES } from '../shared/vocab';
import type { IncidentInput } from '../shared/schemas';

const { values } = parseArgs({ options: { scale: { type: 'boolean' }, keep: { type: 'string' } } });
const PEOPLE = values.scale ? 100_000 : 1_444;
const INCIDENTS = values.scale ? 1_000_000 : 30_000;
const SEED = 2026;

const dir = values.keep ? null : mkdtempSync(join(tmpdir(), 'attest-bench-'));
const file = values.keep ?? join(dir!, 'bench.sqlite');
const reuse = values.keep !== undefined && existsSync(file);
const session = openSession(file, { user: 'bench' });
const { db } = session.ctx;
const dispatch = session.dispatch;
// Automatic backups (every 50 writes by default) would copy the whole database inside the timed
// calls; they are measured apart from the write path, so they are off here.
const configured = await dispatch('backup:configure', { everyWrites: 0, everyMinutes: 0, onClose: false });
if (!configured.ok) throw new Error(`bench: cannot turn automatic backups off: ${configured.error.message}`);

if (!reuse) {
  const t = performance.now();
  const r = seed(db, { people: PEOPLE, incidents: INCIDENTS, seed: SEED, progress: (n) => process.stderr.write(`  seeded ${n} incidents\r`) });
  console.log(`seeded ${r.people} people, ${r.incidents} incidents, ${r.facilities} facilities in ${((performance.now() - t) / 1000).toFixed(1)} s`);
} else {
  console.log(`reusing ${file}`);
}
db.pragma('optimize');

interface Stat {
  name: string;
  n: number;
  median: number;
  p95: number;
}
const rows: { stat: Stat; baseline?: Stat; goal?: string }[] = [];

function stats(name: string, samples: number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { name, n: s.length, median: at(0.5), p95: at(0.95) };
}

async function measure(name: string, n: number, fn: (i: number) => unknown): Promise<Stat> {
  for (let i = 0; i < Math.min(20, n); i++) await fn(i); // warm caches and statement compilation
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return stats(name, samples);
}

async function ok(channel: string, input: unknown) {
  const r = await dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.message}`);
  return r.data;
}

const facilities = db.prepare(`SELECT id FROM facilities ORDER BY id`).pluck().all() as string[];
const people = db.prepare(`SELECT id FROM people ORDER BY id LIMIT 200`).pluck().all() as string[];

// ---- 1. First page of a filtered incident list -------------------------------------------------
const PAGE = 50;
const filters: [string, (i: number) => object][] = [
  ['facility', (i) => ({ facilityId: facilities[i % facilities.length] })],
  ['facility + status', (i) => ({ facilityId: facilities[i % facilities.length], status: 'verified' })],
  ['category', (i) => ({ category: (['WATER', 'FOOD', 'THREATS', 'MEDICAL'] as const)[i % 4] })],
  ['facility + category', (i) => ({ facilityId: facilities[i % facilities.length], category: 'RESTROOM' })],
  ['person', (i) => ({ personId: people[i % people.length] })],
  ['facility + one month', (i) => ({ from: '2025-06-01', to: '2025-06-30', facilityId: facilities[i % facilities.length] })],
  ['no counsel + document signed (rare)', () => ({ counselPresent: false, documentSigned: true })],
];
const bare = db.prepare(`SELECT * FROM incidents WHERE facility_id = ? AND deleted_at IS NULL ORDER BY occurred_on DESC, id DESC LIMIT ${PAGE}`);
const listBase = await measure('bare indexed query (facility, date order)', 300, (i) => bare.all(facilities[i % facilities.length]));
const listStat = await measure(`incidents:list first page (${PAGE}) via dispatch, all ${filters.length} filter mixes`, 700, (i) =>
  ok('incidents:list', { ...filters[i % filters.length]![1](i), limit: PAGE }),
);
rows.push({ stat: listBase });
rows.push({ stat: listStat, baseline: listBase, goal: 'p95 ≤ 5 ms at 1M' });
for (const [name, filter] of filters) {
  const st = await measure(`  filter: ${name}`, 100, (i) => ok('incidents:list', { ...filter(i), limit: PAGE }));
  rows.push({ stat: st, baseline: listBase, goal: 'p95 ≤ 5 ms at 1M' });
}

// ---- 2. Full-text search first page ------------------------------------------------------------
const words = ['insulin', 'handcuffs', 'Ramadan', 'reports', 'water', 'officer cell', 'الأنسولين', 'الحارس', 'الماء', 'insul*', 'agua', 'ماء', 'lawyer'];
const ftsRaw = db.prepare(`SELECT rowid FROM incident_text WHERE incident_text MATCH ? ORDER BY rowid DESC LIMIT ${PAGE}`);
const ftsBm25 = db.prepare(`SELECT rowid FROM incident_text WHERE incident_text MATCH ? ORDER BY bm25(incident_text) LIMIT ${PAGE}`);
const ftsBase = await measure('raw FTS5 match, rowid order (baseline)', 260, (i) => ftsRaw.all(ftsQuery(words[i % words.length]!)));
const bm25 = await measure('raw FTS5 match, bm25 order (not used: for contrast)', 52, (i) => ftsBm25.all(ftsQuery(words[i % words.length]!)));
const search = await measure('incidents:search first page via dispatch (13 words, en+ar)', 520, (i) => ok('incidents:search', { text: words[i % words.length], limit: PAGE }));
const searchFiltered = await measure('incidents:search + facility filter via dispatch', 260, (i) =>
  ok('incidents:search', { text: words[i % words.length], facilityId: facilities[i % facilities.length], limit: PAGE }),
);
rows.push({ stat: ftsBase });
rows.push({ stat: bm25, baseline: ftsBase });
rows.push({ stat: search, baseline: ftsBase, goal: 'p95 ≤ 30 ms at 1M' });
for (const [name, ws] of [
  ['rare English', ['insulin', 'handcuffs', 'Ramadan']],
  ['common English', ['reports', 'water', 'officer cell']],
  ['rare Arabic', ['الأنسولين', 'الانفرادي']],
  ['common Arabic', ['الحارس', 'الماء', 'ماء']],
] as const) {
  const st = await measure(`  words: ${name}`, 120, (i) => ok('incidents:search', { text: ws[i % ws.length], limit: PAGE }));
  rows.push({ stat: st, baseline: ftsBase, goal: 'p95 ≤ 30 ms at 1M' });
}
rows.push({ stat: searchFiltered, baseline: ftsBase, goal: 'p95 ≤ 30 ms at 1M' });

// ---- 2b. Finding people and counting the list (issue 16) ------------------------------------------
const peopleLike = db.prepare(`SELECT id FROM people WHERE deleted_at IS NULL AND folded_name LIKE ? LIMIT 30`);
const names = ['Jean Pierre', 'Pierre Jean', 'Ahmad', 'Singh Gurpreet', 'Rahimi', 'Zahra Noori'];
const likeBase = await measure('bare LIKE over folded names (baseline)', 120, (i) => peopleLike.all(`%${names[i % names.length]!.toLowerCase()}%`));
const peopleSearch = await measure('people:list by name, any order and spelling, via dispatch', 120, (i) =>
  ok('people:list', { query: names[i % names.length], limit: 30 }),
);
rows.push({ stat: likeBase });
rows.push({ stat: peopleSearch, baseline: likeBase });
const exactCount = await measure('incidents:list first page with the exact count', 60, () => ok('incidents:list', { limit: PAGE, countUpTo: 10_000_000 }));
rows.push({ stat: exactCount, baseline: listBase });
const byPerson = await measure('incidents:list sorted by person, with the exact count', 30, (i) =>
  ok('incidents:list', { limit: PAGE, sort: 'person', direction: i % 2 ? 'asc' : 'desc', countUpTo: 10_000_000 }),
);
rows.push({ stat: byPerson, baseline: listBase });
// Sorted by person or category, first page (count capped as the list asks): the join walks the
// people's name index (or the categories in label order, migration 9's index) instead of sorting
// every match. Baseline: the query as it was before, a top-N sort of the whole join.
const categoryLabel = `CASE json_extract(i.categories, '$[0]') ${CATEGORY_CODES.map((c) => `WHEN '${c}' THEN '${CATEGORIES[c].label.replace(/'/g, "''")}'`).join(' ')} END`;
const sortedBefore = (order: string) =>
  db.prepare(
    `SELECT i.*, p.family_name || ', ' || p.given_name AS personName, f.name AS facilityName
     FROM incidents i JOIN people p ON p.id = i.person_id JOIN facilities f ON f.id = i.facility_id
     WHERE i.deleted_at IS NULL ORDER BY ${order} LIMIT ${PAGE} OFFSET ?`,
  );
for (const [sort, order] of [
  ['person', (d: string) => `p.family_name COLLATE NOCASE ${d}, p.given_name COLLATE NOCASE ${d}, i.occurred_on DESC, i.id ${d}`],
  ['categories', (d: string) => `${categoryLabel} ${d}, i.occurred_on DESC, i.id ${d}`],
] as const) {
  const before = { asc: sortedBefore(order('ASC')), desc: sortedBefore(order('DESC')) };
  const base = await measure(`  before: sorted by ${sort}, top-N sort of the whole join (raw SQL)`, 30, (i) => before[i % 2 ? 'asc' : 'desc'].all((i % 3) * PAGE));
  const now = await measure(`incidents:list sorted by ${sort}, a page via dispatch (index walk)`, 60, (i) =>
    ok('incidents:list', { limit: PAGE, offset: (i % 3) * PAGE, sort, direction: i % 2 ? 'asc' : 'desc' }),
  );
  rows.push({ stat: base });
  rows.push({ stat: now, baseline: base, goal: 'p95 ≤ 5 ms at 1M' });
}

// ---- 3. Reads of the whole database: the history check and the report preview --------------------
// Before the bulk rows below: their raw-insert baselines write around the history, which verify
// rightly reports.
// Seconds each at 30,000 incidents, so a few samples; at --scale they would take many minutes.
if (!values.scale) {
  const periodStart = '2000-01-01';
  const today = new Date().toISOString().slice(0, 10);
  const intact = (await ok('audit:verify', { full: true })) as { ok: boolean; firstBroken: { problem: string } | null };
  if (!intact.ok) throw new Error(`bench: the seeded history does not verify: ${intact.firstBroken?.problem}`);
  const whole = await measure('audit:verify, whole history (at open, on a click, attest verify)', 3, () => ok('audit:verify', { full: true }));
  const since = await measure('audit:verify, periodic check after an intact one (header, every 30 s)', 20, () => ok('audit:verify', {}));
  const definition = {
    name: 'Bench',
    caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'Bench v. Bench', caseNumber: 'No. 1' },
    title: 'Status report',
    exhibitLabel: 'Exhibit A',
    periodFrom: periodStart,
    periodTo: today,
    filters: { consentOnly: false, includedOnly: false, statuses: ['new', 'verified', 'excluded'] },
  };
  // Baseline: the preview as it was built before key rows: every row read whole, the whole model
  // built and redacted, then the first 200 rows laid out (what exports still do).
  const resolved = resolveDefinition(db, { definition: ReportDefinitionInput.parse(definition) });
  const wholeModel = await measure('  baseline: whole rows + whole model + first 200 rows laid out (the preview before)', 3, () => {
    const m = buildReportModel(buildInput(db, resolved, new Date().toISOString(), 'bench'));
    return renderHtml({ ...m, log: { ...m.log, rows: m.log.rows.slice(0, 200) } });
  });
  // Typing a caption or a title: the key rows and the selection are kept, each call differs.
  const preview = await measure(`reports:preview via dispatch, every incident, public (first 200 log rows; title typed)`, 20, (i) =>
    ok('reports:preview', { definition: { ...definition, title: `Status report ${i}` } }),
  );
  // Changing the filters: the rows chosen, sorted and the redactor's tables made again.
  const filtered = await measure(`reports:preview via dispatch, filters changed each call`, 8, (i) =>
    ok('reports:preview', { definition: { ...definition, filters: { ...definition.filters, consentOnly: i % 2 === 0, facilityIds: facilities.slice(0, 1 + (i % facilities.length)) } } }),
  );
  // After a write: the database's counts grouped again and the shown rows read and redacted again.
  const afterWrite: number[] = [];
  for (let i = 0; i < 6; i++) {
    await ok('drafts:save', { key: 'bench', kind: 'other', data: { i } });
    const t = performance.now();
    await ok('reports:preview', { definition });
    afterWrite.push(performance.now() - t);
  }
  rows.push({ stat: whole });
  rows.push({ stat: since, baseline: whole });
  rows.push({ stat: wholeModel });
  rows.push({ stat: preview, baseline: wholeModel, goal: '≤ 150 ms' });
  rows.push({ stat: filtered, baseline: wholeModel, goal: '≤ 150 ms' });
  rows.push({ stat: stats('reports:preview via dispatch, right after a write (counts and shown rows read again)', afterWrite), baseline: wholeModel, goal: '≤ 150 ms' });
}

// ---- 4. Bulk creation ------------------------------------------------------------------------------
const BATCH = 1000;
const facilityOf = new Map(
  (db.prepare(`SELECT id, current_facility_id AS f FROM people WHERE id IN (${people.map(() => '?').join(',')})`).all(...people) as { id: string; f: string }[]).map((r) => [r.id, r.f]),
);
function batch(b: number): IncidentInput[] {
  return Array.from({ length: BATCH }, (_, k) => {
    const personId = people[(b * BATCH + k) % people.length]!;
    return {
      personId,
      facilityId: facilityOf.get(personId)!,
      occurredOn: `2026-0${1 + (k % 9)}-1${k % 10}`,
      datePrecision: 'exact',
      categories: k % 3 ? ['WATER'] : ['FOOD', 'THREATS'],
      summary: `Bench incident ${b}-${k}: reports water withheld in the holding cell.`,
      ownWords: k % 2 ? 'قطعوا الماء عن الزنزانة' : null,
      staffInvolved: [{ role: 'contract_guard', name: null, badge: String(1000 + k) }],
      status: 'new',
    };
  });
}
// The same rows, inserted with bare prepared statements: no validation, no history, no dispatch.
const rawRow = db.prepare(`INSERT INTO incidents (id, person_id, facility_id, occurred_on, date_precision, categories, summary, own_words,
  staff_involved, witnesses, status, include_in_report, grievance_filed, version, created_at, updated_at, search_rowid)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, 1, 0, 1, ?, ?, ?)`);
const rawCat = db.prepare(`INSERT INTO incident_categories (incident_id, category) VALUES (?, ?)`);
const rawFts = db.prepare(`INSERT INTO incident_text (body) VALUES (?)`);
const rawRowOnly = db.prepare(`INSERT INTO incidents (id, person_id, facility_id, occurred_on, date_precision, categories, summary, own_words,
  staff_involved, witnesses, status, include_in_report, grievance_filed, version, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, 1, 0, 1, ?, ?)`);
const batches = Array.from({ length: 8 }, (_, b) => batch(b));
const now = new Date().toISOString();
const rawRowsOnce = (b: number) =>
  db.transaction(() => {
    for (const r of batches[b % 8]!) {
      rawRowOnly.run(newId(), r.personId, r.facilityId, r.occurredOn, 'exact', JSON.stringify(r.categories), r.summary, r.ownWords ?? null, JSON.stringify(r.staffInvolved), 'new', now, now);
    }
  }).immediate();
const rawSameTablesOnce = (b: number) =>
  db.transaction(() => {
    for (const r of batches[b % 8]!) {
      const id = newId();
      const rowid = rawFts.run(searchBody({ summary: r.summary, ownWords: r.ownWords ?? null })).lastInsertRowid;
      rawRow.run(id, r.personId, r.facilityId, r.occurredOn, 'exact', JSON.stringify(r.categories), r.summary, r.ownWords ?? null, JSON.stringify(r.staffInvolved), 'new', now, now, rowid);
      for (const c of r.categories) rawCat.run(id, c);
    }
  }).immediate();
const sync = () => (db.pragma('synchronous', { simple: true }) === 2 ? 'FULL' : 'NORMAL');
const rawLoopRows = await measure(`raw prepared insert loop, incident rows only (${BATCH} rows, ${sync()})`, 8, rawRowsOnce);
const rawLoop = await measure(`raw prepared insert loop, same tables: row + categories + FTS (${BATCH} rows, ${sync()})`, 8, rawSameTablesOnce);
const bulk = await measure(`incidents:bulk-create via dispatch: validation + history (${BATCH} rows, ${sync()})`, 8, (b) => ok('incidents:bulk-create', { items: batches[b % 8] }));
rows.push({ stat: rawLoopRows });
rows.push({ stat: rawLoop, baseline: rawLoopRows });
rows.push({ stat: bulk, baseline: rawLoopRows, goal: '≤ 3× raw loop' });
rows.push({ stat: { ...bulk, name: '  (same, against the same-tables raw loop)' }, baseline: rawLoop, goal: '≤ 3× raw loop' });

// ---- 5. What durable commits cost: synchronous=FULL (the app's) against NORMAL (before issue 10) --
// FULL fsyncs the WAL at every commit, so an acknowledged write survives a power cut; NORMAL only
// at checkpoints. One commit per call: single creates feel it, a 1000-row bulk create hardly.
const facilityInput = (i: number) => ({ name: `Bench facility ${i}`, city: 'Baldwin', state: 'MI', operator: 'PRIVATE', standard: 'PBNDS_2011' });
const singleFull = await measure(`facilities:create via dispatch, one commit each (${sync()})`, 200, (i) => ok('facilities:create', facilityInput(i)));
db.pragma('synchronous = NORMAL');
const rawNormal = await measure(`raw prepared insert loop, same tables (${BATCH} rows, ${sync()})`, 8, rawSameTablesOnce);
const bulkNormal = await measure(`incidents:bulk-create via dispatch (${BATCH} rows, ${sync()})`, 8, (b) => ok('incidents:bulk-create', { items: batches[b % 8] }));
const singleNormal = await measure(`facilities:create via dispatch, one commit each (${sync()})`, 200, (i) => ok('facilities:create', facilityInput(1000 + i)));
db.pragma('synchronous = FULL');
rows.push({ stat: rawNormal });
rows.push({ stat: { ...rawLoop, name: `  raw same-tables loop at FULL, against NORMAL` }, baseline: rawNormal });
rows.push({ stat: bulkNormal, baseline: rawNormal });
rows.push({ stat: { ...bulk, name: `  bulk-create at FULL, against the bulk at NORMAL` }, baseline: bulkNormal });
rows.push({ stat: singleNormal });
rows.push({ stat: { ...singleFull, name: `  facilities:create at FULL, against NORMAL` }, baseline: singleNormal });

// ---- Table ---------------------------------------------------------------------------------------
const f = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1)).padStart(9);
console.log(`\nAttest intake bench — ${PEOPLE.toLocaleString('en-US')} people / ${INCIDENTS.toLocaleString('en-US')} incidents (node ${process.version})\n`);
/** One decimal, or two significant digits below 0.1 (a speed-up would otherwise print as 0.0×). */
const ratioText = (x: number) => (x < 0.1 ? x.toPrecision(2) : x.toFixed(1));
console.log(`${'measure'.padEnd(80)} ${'n'.padStart(4)} ${'median ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'ratio'.padStart(7)}  goal`);
for (const r of rows) {
  const ratio = r.baseline ? `${ratioText(r.stat.median / r.baseline.median)}×` : 'base';
  console.log(`${r.stat.name.padEnd(80)} ${String(r.stat.n).padStart(4)} ${f(r.stat.median)} ${f(r.stat.p95)} ${ratio.padStart(7)}  ${r.goal ?? ''}`);
}
console.log('\nratio = median / median of the baseline row above it (bulk rows: against the raw loops).');

session.close();
if (dir) rmSync(dir, { recursive: true, force: true });
