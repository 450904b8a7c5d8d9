import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../electron/core/session';
import { codesIn } from '../../shared/report/model';
import { cleanupTempDirs, fixedClock, tempDbFile, tempDir } from '../helpers';
import { reportCorpus } from '../report-corpus';
import { seedCorpus } from '../report-seed';

// The redaction review over the real channels, SQLite, files and the attest command: a nickname the
// redactor cannot know is listed, a strict export waits for a choice on it, a "redact by hand"
// choice reaches every format, and the sealed key lists exactly the codes the public files show.

const NICKNAME = 'Abu Samir';
const source = reportCorpus({ incidents: 24, seed: 4 });
const target = source.rows.find((r) => r.includeInReport && r.status !== 'excluded' && r.person.consent && r.occurredOn <= '2026-06-30')!;
target.summary = `${target.summary} His cousin ${NICKNAME} saw it too. Later at Monroe County Jail the same, contrary to 8 CFR 240.25.`;
// Someone with no row of their own (no consent to use their account) is named, and listed as a
// witness, in another person's account: their code shows in the public text.
const bystander = source.people.find((p) => !p.consent)!;
const other = source.rows.find((r) => r !== target && r.includeInReport && r.status !== 'excluded' && r.person.consent && r.occurredOn <= '2026-06-30' && r.person.id !== bystander.id)!;
other.summary = `${other.summary} ${bystander.givenName} ${bystander.familyName} was in the next cell.`;
other.witnesses = [...other.witnesses, { name: `${bystander.givenName} ${bystander.familyName}`, personId: bystander.id }];

const DEFINITION = {
  name: 'Review test',
  caption: { court: 'UNITED STATES DISTRICT COURT', caseName: 'HAMAMA, et al.,', caseNumber: 'Case No. 2:17-cv-11910' },
  title: 'Status report',
  exhibitLabel: 'Exhibit A',
  periodFrom: '2026-05-01',
  periodTo: '2026-06-30',
  columns: ['rowId', 'person', 'facility', 'date', 'categories', 'summary', 'ownWords', 'circumstances', 'source'],
};

let session: Session;
let dbFile: string;
let incidentId: string;

async function ok<T>(channel: string, input: unknown): Promise<T> {
  const r = await session.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.data as T;
}

interface Review {
  counts: { replaced: number; suspicious: number; unreviewed: number; accepted: number; redacted: number };
  total: number;
  items: { at: string; where: string; kind: string; reason: string; text: string; original: string; choice: string | null }[];
}

beforeAll(async () => {
  dbFile = tempDbFile();
  session = openSession(dbFile, { user: 'test-paralegal', now: fixedClock('2026-07-25T12:00:00.000Z') });
  const ids = await seedCorpus(session, source);
  incidentId = ids.incidents.get(target.incidentId)!;
}, 60_000);

afterAll(() => {
  session?.close();
  cleanupTempDirs();
});

/** The attest command as an admin runs it: a real process over the same database file. */
function attest(args: string[]) {
  const r = spawnSync(process.execPath, ['scripts/attest.mjs', ...args], { encoding: 'utf8', env: { ...process.env, ATTEST_PASSPHRASE: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function fileText(file: string): string {
  if (file.endsWith('.docx')) return execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 }).replace(/<[^>]+>/g, ' ');
  return readFileSync(file, 'utf8');
}

async function xlsxText(file: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => out.push(String(c.value ?? '')))));
  return out.join('\n');
}

/** Every public file of an export as a reader sees its text, by file name. */
async function publicTexts(folder: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of readdirSync(folder)) {
    if (f.includes('SEALED') || f.endsWith('manifest.json')) continue;
    out.set(f, f.endsWith('.xlsx') ? await xlsxText(join(folder, f)) : fileText(join(folder, f)));
  }
  return out;
}

describe('reports:review through dispatch', () => {
  it('lists the nickname the redactor missed as unreviewed, first, with where it is; and each replaced name', async () => {
    const r = await ok<Review>('reports:review', { definition: DEFINITION });
    expect(r.items[0]).toMatchObject({ kind: 'suspicious', choice: null });
    const nick = r.items.find((i) => i.text === NICKNAME);
    expect(nick).toMatchObject({ at: `incident:${incidentId}:summary`, kind: 'suspicious', reason: 'capitalised', choice: null });
    expect(nick!.where).toMatch(/^A-\d{3}, summary$/);
    expect(r.items.some((i) => i.kind === 'replaced' && i.text === target.person.filingCode && i.original.includes(target.person.givenName))).toBe(true);
    expect(r.counts.unreviewed).toBeGreaterThan(0);
    // The office's facilities and the vocabulary's citations are safe to show.
    const here = r.items.filter((i) => i.at === nick!.at && i.kind === 'suspicious').map((i) => i.text);
    expect(here).toEqual([NICKNAME]);
    expect(r.total).toBe(r.counts.replaced + r.counts.suspicious);
    const few = await ok<Review>('reports:review', { definition: DEFINITION, limit: 2 });
    expect(few).toMatchObject({ total: r.total, counts: r.counts });
    expect(few.items).toHaveLength(2);
  });

  it('refuses bad input naming the field, and a bad choice in a definition naming it', async () => {
    expect(await session.dispatch('reports:review', { definition: DEFINITION, limit: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['limit'] }] } });
    const bad = await session.dispatch('reports:save', { definition: { ...DEFINITION, review: [{ at: '*', text: NICKNAME, choice: 'maybe' }] } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['definition', 'review', 0, 'choice'] }] } });
  });

  it('keeps choices with the saved definition, as a new version, and reports them', async () => {
    const v1 = await ok<{ id: string; version: number }>('reports:save', { definition: DEFINITION });
    const v2 = await ok<{ id: string; version: number; definition: { review: unknown[] } }>('reports:save', {
      id: v1.id,
      expectedVersion: 1,
      definition: { ...DEFINITION, review: [{ at: `incident:${incidentId}:summary`, text: NICKNAME, choice: 'redact' }] },
    });
    expect(v2.version).toBe(2);
    const r = await ok<Review>('reports:review', { definitionId: v1.id });
    expect(r.items.find((i) => i.text === NICKNAME)).toMatchObject({ choice: 'redact' });
    expect(r.counts.redacted).toBe(1);
  });
});

describe('attest export --strict and the review choices in every format', () => {
  it('prints the review, and with --strict exits 1 writing nothing while a span is unreviewed', () => {
    const defFile = join(tempDir(), 'definition.json');
    writeFileSync(defFile, JSON.stringify(DEFINITION));
    const out = join(tempDir(), 'exhibits');
    const r = attest(['export', '--db', dbFile, '--out', out, '--definition', defFile, '--format', 'html,csv', '--strict']);
    expect(r.err).toMatch(/^redaction review: \d+ suspicious spans \(\d+ unreviewed/m);
    expect(r.err).toMatch(new RegExp(`UNREVIEWED\\s+A-\\d{3}, summary\\s+"${NICKNAME}" \\(capitalised\\)`));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: ['review'] }] } });
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  }, 60_000);

  it('with every span decided, --strict writes the exhibit: the redacted span is in no format, and the manifest lists the choices', async () => {
    const review = await ok<Review>('reports:review', { definition: DEFINITION, limit: 100_000 });
    const decisions = review.items
      .filter((i) => i.kind === 'suspicious')
      .map((i) => ({ at: i.at, text: i.text, choice: i.text === NICKNAME ? ('redact' as const) : ('accept' as const) }));
    const defFile = join(tempDir(), 'definition.json');
    writeFileSync(defFile, JSON.stringify({ ...DEFINITION, review: decisions }));
    const out = join(tempDir(), 'exhibits');
    const r = attest(['export', '--db', dbFile, '--out', out, '--definition', defFile, '--format', 'html,csv,docx,xlsx', '--strict']);
    expect(r.err).toMatch(/\(0 unreviewed/);
    expect(r.code).toBe(0);
    const texts = await publicTexts(out);
    expect([...texts.keys()].sort()).toEqual(expect.arrayContaining([expect.stringMatching(/\.html$/), expect.stringMatching(/\.docx$/), expect.stringMatching(/\.xlsx$/), expect.stringMatching(/-log\.csv$/)]));
    for (const [name, text] of texts) {
      expect(text, name).not.toContain(NICKNAME);
      expect(text, name).not.toContain('Samir');
    }
    expect(texts.get([...texts.keys()].find((k) => k.endsWith('-log.csv'))!)).toContain('[redacted]');
    const manifest = JSON.parse(readFileSync(JSON.parse(r.out).data.manifestPath, 'utf8')) as { review: { counts: Review['counts']; decisions: unknown[] } };
    expect(manifest.review.counts).toMatchObject({ unreviewed: 0, redacted: 1 });
    // The choice is listed by where it applies; the span it took out is not written back in.
    expect(manifest.review.decisions).toContainEqual({ at: `incident:${incidentId}:summary`, text: '[redacted]', choice: 'redact' });
    expect(JSON.stringify(manifest)).not.toContain(NICKNAME);
  }, 60_000);
});

describe('the sealed key', () => {
  async function exportWith(columns: string[]) {
    const folder = tempDir();
    const r = await ok<{ export: { files: { name: string; format: string }[] } }>('reports:export', { definition: { ...DEFINITION, columns }, formats: ['html', 'csv', 'docx', 'xlsx'], folder });
    const keyCsv = r.export.files.find((f) => f.format === 'key-csv')!.name;
    const keyCodes = readFileSync(join(folder, keyCsv), 'utf8').split(/\r?\n/).slice(1).filter(Boolean).map((l) => l.replace(/^\uFEFF/, '').split(',')[0]!);
    const shown = new Set([...(await publicTexts(folder)).values()].flatMap(codesIn));
    return { keyCodes, shown };
  }

  it('lists every code the public files show, people named in others’ accounts and witnesses in the records included, and no other', async () => {
    const { keyCodes, shown } = await exportWith(DEFINITION.columns);
    // The corpus names another person in the records as witness in some accounts: their code shows
    // although no row is theirs.
    const rowCodes = new Set(source.rows.filter((r) => r.includeInReport && r.status !== 'excluded' && r.person.consent && r.occurredOn <= '2026-06-30').map((r) => r.person.filingCode));
    expect(rowCodes.has(bystander.filingCode)).toBe(false);
    expect(shown.has(bystander.filingCode)).toBe(true);
    expect([...shown].some((c) => c.startsWith('W-'))).toBe(true);
    expect(keyCodes.sort()).toEqual([...shown].sort());
  }, 60_000);

  it('leaves out codes of witnesses and others when the files show no free text', async () => {
    const { keyCodes, shown } = await exportWith(['rowId', 'person', 'facility', 'date']);
    expect([...shown].every((c) => c.startsWith('CM-'))).toBe(true);
    expect(keyCodes.sort()).toEqual([...shown].sort());
  }, 60_000);
});
