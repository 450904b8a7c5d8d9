import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dsvFormat } from 'd3-dsv';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_FACILITY, cleanupTempDirs, contentHash, tempDbFile, tempDir, testSession } from '../../../test/helpers';
import { encodeSingleByte, generateRoster, rosterCsv } from '../../../test/roster-fixtures';
import type { ChannelOutput, Result } from '../../../shared/contract';
import type { Facility, HistoryEntry, Person } from '../../../shared/schemas';
import { columnDateOrder, excelSerialToIso, parseDate } from '../../../shared/roster/dates';
import { guessMapping } from '../../../shared/roster/fields';
import { openSession, type Session } from '../session';
import { detectEncoding, eachCsvRecord, readRoster, type RosterRow } from './read';
import { runCli } from '../../cli/cli';

afterEach(cleanupTempDirs);

async function ok<T>(s: Session, channel: string, input: unknown): Promise<T> {
  const r = await s.dispatch(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.data as T;
}
async function fails(s: Session, channel: string, input: unknown) {
  const r = await s.dispatch(channel, input);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error;
}
type Read = ChannelOutput<'import:read'>;
type Check = ChannelOutput<'import:check'>;
type Run = ChannelOutput<'import:run'>;

function file(name: string, data: string | Uint8Array): string {
  const p = join(tempDir('attest-roster-'), name);
  writeFileSync(p, data);
  return p;
}

async function people(s: Session): Promise<Person[]> {
  const out: Person[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = (await ok<{ items: Person[] }>(s, 'people:list', { limit: 1000, offset })).items;
    out.push(...page);
    if (page.length < 1000) return out;
  }
}

/** Read, then check and run with the guessed mapping (changed by `patch`). */
async function importFile(s: Session, path: string, o: { patch?: Record<string, string>; validOnly?: boolean; dateOrders?: Record<string, string>; kind?: string } = {}) {
  const kind = o.kind ?? 'people';
  const info = await ok<Read>(s, 'import:read', { path, kind });
  const input = { path, kind, mapping: { ...info.guess, ...o.patch }, dateOrders: o.dateOrders ?? {} };
  const check = await ok<Check>(s, 'import:check', input);
  const run = (await s.dispatch('import:run', { ...input, sha256: info.sha256, validOnly: !!o.validOnly })) as Result<Run>;
  return { info, check, run, input };
}

describe('reading rosters', () => {
  const text = 'A-Number,Family name,Given name,Arabic name,Nationality\r\nA012345678,Haddad,Yusuf,يوسف حداد,Iraq\r\n87654321,Khalil,Omar,عمر خليل,Syria\r\n';

  it('Windows-1256 (Arabic, as old Excel saves it) is detected and read', async () => {
    const p = file('roster.csv', encodeSingleByte(text, 'windows-1256'));
    expect(detectEncoding(readFileSync(p))).toBe('windows-1256');
    const t = await readRoster(p);
    expect(t.encoding).toBe('windows-1256');
    expect(t.rows[0]!.cells[3]).toBe('يوسف حداد');
    expect(t.rows[1]!.cells[3]).toBe('عمر خليل');
  });

  it('a CSV streamed a few bytes at a time parses exactly as the whole text does (quoted newlines, "" quotes, empty lines, characters split between chunks)', () => {
    const tricky = '\ufeffA#;Last Name;Note\r\nA012345678;"Had;dad";"two\r\nlines"\r\n\r\n"A087654321";Khalil;"say ""hi""\nthen go"\n;;\nA011111111;يوسف حداد;"ends with a quote """\r\nA022222222;"x"y;last';
    const expected = dsvFormat(';').parseRows(tricky.slice(1));
    for (const [bytes, encoding] of [[Buffer.from(tricky, 'utf8'), 'utf-8'], [Buffer.from(tricky, 'utf16le'), 'utf-16le']] as const) {
      const p = file('tricky.csv', bytes);
      for (const chunk of [1, 3, 7, 64, 1 << 20]) {
        const got: RosterRow[] = [];
        eachCsvRecord(p, encoding, (r) => got.push(r), chunk);
        expect(got.map((r) => r.cells)).toEqual(expected);
        expect(got.map((r) => r.line)).toEqual(expected.map((_, i) => i + 1));
      }
    }
    // And a generated roster with its faults (10,000-character cells, empty lines, a stray header).
    const text = rosterCsv(generateRoster(300));
    const rows: RosterRow[] = [];
    eachCsvRecord(file('gen.csv', text), 'utf-8', (r) => rows.push(r), 5);
    expect(rows.map((r) => r.cells)).toEqual(dsvFormat(',').parseRows(text.replace(/^\ufeff/, '')));
  });

  it('UTF-16 with and without a byte-order mark, UTF-8 with a BOM, and Windows-1252', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(Buffer.from(text, 'utf16le')).swap16();
    const bom8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    for (const [bytes, enc] of [[le, 'utf-16le'], [Buffer.from(text, 'utf16le'), 'utf-16le'], [be, 'utf-16be'], [bom8, 'utf-8']] as const) {
      const t = await readRoster(file('roster.csv', bytes));
      expect(t.encoding).toBe(enc);
      expect(t.headers[0]).toBe('A-Number');
      expect(t.rows[0]!.cells[3]).toBe('يوسف حداد');
    }
    const latin = 'A#;Last Name;First Name;Nationality\r\nA012345678;Nuñez;José;Guatemala\r\nA087654321;Müller;Renée;Ghana\r\n';
    const t = await readRoster(file('latin.csv', encodeSingleByte(latin, 'windows-1252')));
    expect(t.encoding).toBe('windows-1252');
    expect(t.rows.map((r) => r.cells[1])).toEqual(['Nuñez', 'Müller']);
  });

  it('an XLSX with several sheets, a title row and merged header cells: the sheet chosen, the header found', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['This workbook lists the class']);
    const ws = wb.addWorksheet('Class list');
    ws.addRow(['Class list, December 2026']);
    ws.mergeCells('A1:F1');
    ws.addRow(['Alien No.', 'Surname', 'Given names', 'Date of birth', 'Detention location', 'Detention location']);
    ws.mergeCells('E2:F2');
    ws.addRow([12345678, 'Haddad', 'Yusuf', new Date(Date.UTC(1990, 2, 14)), 'North Lake', '']);
    ws.addRow(['A-087-654-321', 'Khalil', 'Omar', 33000, 'North Lake', '']);
    const p = file('class.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    const first = await readRoster(p);
    expect(first.sheets).toEqual(['Notes', 'Class list']);
    expect(first.sheet).toBe('Notes');
    const t = await readRoster(p, { sheet: 'Class list' });
    expect(t.headerLine).toBe(2);
    expect(t.headers).toEqual(['Alien No.', 'Surname', 'Given names', 'Date of birth', 'Detention location', 'Detention location (2)']);
    expect(t.rows.map((r) => r.cells.slice(0, 4))).toEqual([
      ['12345678', 'Haddad', 'Yusuf', '1990-03-14'],
      ['A-087-654-321', 'Khalil', 'Omar', '33000'],
    ]);
    expect(guessMapping(t.headers, 'people')).toEqual(['aNumber', 'familyName', 'givenName', 'birthDate', 'facility', null]);

    const s = testSession();
    await ok<Facility>(s, 'facilities:create', { ...SAMPLE_FACILITY, name: 'North Lake' });
    const info = await ok<Read>(s, 'import:read', { path: p, sheet: 'Class list' });
    const input = { path: p, sheet: 'Class list', mapping: info.guess };
    await ok<Check>(s, 'import:check', input);
    const run = await ok<Run>(s, 'import:run', { ...input, sha256: info.sha256 });
    expect(run.counts.create).toBe(2);
    const ps = await people(s);
    expect(ps.map((x) => [x.aNumber, x.birthDate]).sort()).toEqual([['012345678', '1990-03-14'], ['087654321', '1990-05-07']]);
  });
});

describe('dates and column names', () => {
  it('ISO, MM/DD/YYYY, DD/MM/YYYY and Excel serials; an ambiguous column is asked, not guessed', () => {
    expect(parseDate('1990-03-14', null)).toEqual({ ok: true, value: '1990-03-14' });
    expect(parseDate('03/14/1990', null)).toEqual({ ok: true, value: '1990-03-14' });
    expect(parseDate('14/03/1990', null)).toEqual({ ok: true, value: '1990-03-14' });
    expect(parseDate('03/04/1990', null).ok).toBe(false);
    expect(parseDate('03/04/1990', 'dmy')).toEqual({ ok: true, value: '1990-04-03' });
    expect(parseDate('02/30/1990', 'mdy').ok).toBe(false);
    expect(excelSerialToIso(1)).toBe('1900-01-01');
    expect(excelSerialToIso(61)).toBe('1900-03-01');
    expect(excelSerialToIso(45000)).toBe('2023-03-15');
    expect(columnDateOrder(['03/04/1990', '05/06/1991'])).toMatchObject({ order: null, ambiguous: true });
    expect(columnDateOrder(['03/04/1990', '25/06/1991'])).toMatchObject({ order: 'dmy', ambiguous: false });
  });

  it('guesses fields from the header words offices use', () => {
    expect(guessMapping(['A#', 'Last Name', 'First Name', 'DOB', 'Facility', 'Notes'], 'people')).toEqual(['aNumber', 'familyName', 'givenName', 'birthDate', 'facility', null]);
    expect(guessMapping(['Alien No.', 'Family name', 'Given name', 'Date of birth', 'Detention location'], 'people')).toEqual(['aNumber', 'familyName', 'givenName', 'birthDate', 'facility']);
    expect(guessMapping(['A Number', 'Name', 'Country of citizenship'], 'people')).toEqual(['aNumber', 'fullName', 'nationality']);
  });

  it('a column whose day/month order is ambiguous is a question; the answer imports it', async () => {
    const s = testSession();
    const p = file('dmy.csv', 'A#,Last Name,First Name,DOB\r\nA012345678,Haddad,Yusuf,03/04/1990\r\nA087654321,Khalil,Omar,05/06/1991\r\n');
    const first = await importFile(s, p);
    expect(first.check.dateQuestions).toEqual([{ field: 'birthDate', column: 'DOB', samples: ['03/04/1990', '05/06/1991'] }]);
    expect(first.run.ok).toBe(false);
    expect(!first.run.ok && first.run.error.issues[0]!.path).toEqual(['dateOrders', 'birthDate']);
    expect(await people(s)).toHaveLength(0);
    const second = await importFile(s, p, { dateOrders: { birthDate: 'dmy' } });
    expect(second.run.ok).toBe(true);
    expect((await people(s)).map((x) => x.birthDate).sort()).toEqual(['1990-04-03', '1991-06-05']);
  });
});

describe('a 1,444-row roster with 30 faulty rows', () => {
  it('names each faulty row with its field; all or nothing writes nothing; valid-only writes exactly the valid rows; re-import writes nothing; verify stays clean', async () => {
    const s = testSession();
    const facility = await ok<Facility>(s, 'facilities:create', { ...SAMPLE_FACILITY, name: 'Otero County Processing Center' });
    const g = generateRoster(1444, { faulty: true, facility: 'OTERO county processing  center' });
    expect(g.faults).toHaveLength(30);
    const p = file('class-list.csv', rosterCsv(g));
    const before = contentHash(s.ctx.db);

    const first = await importFile(s, p);
    const c = first.check;
    expect(c.rows).toBe(1444 + g.strayHeaders.length);
    expect(c.counts).toMatchObject({ create: 1414, update: 0, rejected: 30, held: 0, skipped: 1, empty: 3 });
    expect(c.skipped).toEqual([{ line: g.strayHeaders[0], message: 'repeats the header row' }]);
    const byLine = new Map(c.rejected.map((r) => [r.line, r.issues.map((i) => i.field)]));
    for (const f of g.faults) expect(byLine.get(f.line), `row ${f.line}`).toContain(f.field);
    expect(byLine.size).toBe(30);
    // All or nothing: refused, and not one byte of the database changed.
    expect(first.run.ok).toBe(false);
    expect(!first.run.ok && first.run.error.message).toMatch(/30 row\(s\) rejected .* nothing was written/);
    expect(contentHash(s.ctx.db)).toBe(before);

    const second = await importFile(s, p, { validOnly: true });
    if (!second.run.ok) throw new Error(second.run.error.message);
    expect(second.run.data.counts.create).toBe(1414);
    expect(second.run.data.reason).toBe(`roster import class-list.csv, 2026-06-20 (SHA-256 ${first.info.sha256})`);
    const stored = await people(s);
    expect(new Map(stored.map((x) => [x.aNumber, { aNumber: x.aNumber, familyName: x.familyName, givenName: x.givenName, birthDate: x.birthDate }]))).toEqual(g.valid);
    expect(stored.every((x) => x.currentFacilityId === facility.id)).toBe(true);
    const h = await ok<{ versions: HistoryEntry[] }>(s, 'people:history', { id: stored[0]!.id });
    expect(h.versions[0]!.reason).toBe(second.run.data.reason);

    const afterImport = contentHash(s.ctx.db);
    const again = await importFile(s, p, { validOnly: true });
    // The row without an A-number is now held: its Arabic name is that of people just imported.
    expect(again.check.counts).toMatchObject({ create: 0, update: 0, unchanged: 1414, rejected: 29, held: 1 });
    expect(contentHash(s.ctx.db)).toBe(afterImport);
    const v = await ok<{ ok: boolean }>(s, 'audit:verify', { full: true });
    expect(v.ok).toBe(true);
  }, 60_000);
});

describe('matching', () => {
  it('an A-number in another spelling updates only the fields that differ and keeps the ones the roster leaves blank', async () => {
    const s = testSession();
    const person = await ok<Person>(s, 'people:create', { familyName: 'Haddad', givenName: 'Yusuf', aNumber: 'A012345678', nationality: 'Iraq', counsel: 'Legal Aid East' });
    const p = file('update.csv', 'Alien No.,Surname,Given name,Nationality,Counsel,Detained since\r\n012-345-678,Haddad,Yusuf,,,2025-11-02\r\n');
    const r = await importFile(s, p);
    if (!r.run.ok) throw new Error(r.run.error.message);
    expect(r.run.data.updated).toEqual([{ line: 2, label: 'Haddad, Yusuf', id: person.id, fields: ['detainedSince'] }]);
    const now = await ok<Person>(s, 'people:get', { id: person.id });
    expect(now).toMatchObject({ version: 2, nationality: 'Iraq', counsel: 'Legal Aid East', detainedSince: '2025-11-02' });
    const h = await ok<{ versions: HistoryEntry[] }>(s, 'people:history', { id: person.id });
    expect(h.versions.at(-1)!.changes.map((c) => c.field)).toEqual(['detainedSince']);
  });

  it('a row without an A-number like someone already in Attest is held for review, never created; duplicates are reported', async () => {
    const s = testSession();
    await ok<Person>(s, 'people:create', { familyName: 'Haddad', givenName: 'Yusuf', aNumber: 'A012345678' });
    const p = file('held.csv', 'A#,Last Name,First Name\r\n,HADDAD,Yusuf\r\n,Nobody,Known\r\nA087654321,Khalil,Omar\r\n87654321,Khalil,Omar\r\n');
    const r = await importFile(s, p, { validOnly: true });
    expect(r.check.held).toEqual([{ line: 2, label: 'HADDAD, Yusuf', message: expect.stringContaining('no A-number, and Attest has Haddad, Yusuf (CM-001)'), similar: [expect.objectContaining({ name: 'Haddad, Yusuf' })] }]);
    expect(r.check.rejected.map((x) => [x.line, x.issues[0]!.field, x.issues[0]!.message])).toEqual([
      [3, 'aNumber', expect.stringContaining('A-number is empty')],
      [4, 'aNumber', 'A087-654-321 is also on row 5 of this file'],
      [5, 'aNumber', 'A087-654-321 is also on row 4 of this file'],
    ]);
    expect(r.run.ok && r.run.data.counts.create).toBe(0);
    expect(await people(s)).toHaveLength(1);
  });

  it('an A-number two laptops gave to two people (after a sync) holds the row for review naming both; after their merge it updates the one left', async () => {
    const a = testSession();
    const b = testSession();
    const pa = await ok<Person>(a, 'people:create', { familyName: 'Haddad', givenName: 'Yusuf', aNumber: 'A012345678' });
    const pb = await ok<Person>(b, 'people:create', { familyName: 'Hadad', givenName: 'Youssef', aNumber: '012-345-678' });
    const pass = 'office bundle passphrase';
    const { file: bundle } = await ok<{ file: string }>(b, 'sync:export', { folder: tempDir(), passphrase: pass });
    await ok(a, 'sync:import', { file: bundle, passphrase: pass });
    const p = file('roster.csv', 'A#,Last Name,First Name,Nationality\r\nA012345678,Haddad,Yusuf,Iraq\r\nA087654321,Khalil,Omar,Syria\r\n');
    const before = contentHash(a.ctx.db);
    const r = await importFile(a, p);
    expect(r.check.counts).toMatchObject({ create: 1, held: 1, rejected: 0 });
    expect(r.check.held).toEqual([{
      line: 2,
      label: 'Haddad, Yusuf',
      message: expect.stringMatching(/^A012-345-678 belongs to 2 people in Attest, (Haddad, Yusuf|Hadad, Youssef) \(CM-00\d\) and (Haddad, Yusuf|Hadad, Youssef) \(CM-00\d\) .*merge them first/),
      similar: expect.arrayContaining([expect.objectContaining({ id: pa.id, name: 'Haddad, Yusuf' }), expect.objectContaining({ id: pb.id, name: 'Hadad, Youssef' })]),
    }]);
    // All or nothing: the held row stops the import.
    expect(r.run.ok).toBe(false);
    expect(!r.run.ok && r.run.error.message).toMatch(/1 held for review; nothing was written.*row 2: held for review: A012-345-678 belongs to 2 people/);
    expect(contentHash(a.ctx.db)).toBe(before);
    const rejected = await ok<{ path: string }>(a, 'import:export-rejected', r.input);
    expect(readFileSync(rejected.path, 'utf8').split('\r\n')[1]).toMatch(/^2,"held for review: A012-345-678 belongs to 2 people/);
    // Merged (the other person tombstoned), the row updates the person left.
    await ok(a, 'people:merge', { from: pb.id, into: pa.id, reason: 'same A-number' });
    const again = await importFile(a, p);
    expect(again.check.counts).toMatchObject({ create: 1, update: 1, held: 0 });
    expect(again.run.ok && again.run.data.updated).toEqual([{ line: 2, label: 'Haddad, Yusuf', id: pa.id, fields: ['nationality'] }]);
  });

  it('a facility unknown to Attest is created from its columns and listed; without them the row is rejected', async () => {
    const s = testSession();
    const p = file('fac.csv', 'A#,Last Name,First Name,Facility,Facility City,Facility State,Facility Operator\r\nA012345678,Haddad,Yusuf,Stewart Detention Center,Lumpkin,GA,Private company\r\nA087654321,Khalil,Omar,stewart  detention center,,,\r\n');
    const r = await importFile(s, p);
    expect(r.check.facilitiesToCreate).toEqual([{ name: 'Stewart Detention Center', lines: [2, 3] }]);
    if (!r.run.ok) throw new Error(r.run.error.message);
    expect(r.run.data.facilitiesCreated).toEqual([{ id: expect.any(String), name: 'Stewart Detention Center' }]);
    const fid = r.run.data.facilitiesCreated[0]!.id;
    expect((await people(s)).map((x) => x.currentFacilityId)).toEqual([fid, fid]);
    const q = file('fac2.csv', 'A#,Last Name,First Name,Facility\r\nA011111111,Saleh,Nour,Krome\r\n');
    const r2 = await importFile(s, q);
    expect(r2.check.rejected[0]!.issues[0]).toMatchObject({ field: 'facility', column: 'Facility', message: expect.stringContaining('"Krome" is not a facility in Attest') });
  });
});

describe('around the import', () => {
  it('rejected rows are written as CSV with formula cells neutralised; a mapping is saved in the chained settings; a file changed after its check is refused', async () => {
    const s = testSession();
    const p = file('mixed.csv', 'A#,Last Name,First Name,Notes\r\nA012345678,=HYPERLINK("http://x"),Yusuf,fine\r\nA087654321,Khalil,Omar,@SUM(1)\r\n');
    const r = await importFile(s, p);
    expect(r.check.rejected.map((x) => x.line)).toEqual([2]);
    const out = await ok<{ path: string; rows: number }>(s, 'import:export-rejected', r.input);
    expect(out.path).toBe(join(join(p, '..'), 'mixed.rejected.csv'));
    const csv = readFileSync(out.path, 'utf8');
    expect(csv.split('\r\n')[1]).toMatch(/^2,"Last Name: starts with ""="".*",A012345678,"'=HYPERLINK\(""http:\/\/x""\)",Yusuf,fine$/);

    const saved = await ok<{ name: string }>(s, 'import:save-mapping', { name: 'Government list', mapping: { 'A#': 'aNumber', 'Last Name': 'familyName', 'First Name': 'givenName', Notes: '' } });
    expect(saved.name).toBe('Government list');
    const again = await ok<Read>(s, 'import:read', { path: p });
    expect(again.saved?.name).toBe('Government list');
    expect((await ok<{ ok: boolean }>(s, 'audit:verify', { full: true })).ok).toBe(true);

    writeFileSync(p, 'A#,Last Name,First Name\r\nA087654321,Khalil,Omar\r\n');
    const e = await fails(s, 'import:run', { ...r.input, sha256: r.info.sha256, validOnly: true });
    expect(e).toMatchObject({ code: 'CONFLICT', issues: [{ path: ['sha256'] }] });
    expect(await people(s)).toHaveLength(0);
  });

  it('attest import: dry run, a mapping file, --day-first, --valid-only, then a re-import that changes nothing', async () => {
    const s = testSession();
    const db = s.ctx.db.name;
    s.close();
    const p = file('list.csv', 'Alien #,Apellido,Nombre,Born,Comment\r\nA012345678,Haddad,Yusuf,03/04/1990,x\r\nA087654321,Khalil,Omar,05/06/1991,y\r\nA01,Bad,Row,01/01/1990,z\r\n');
    const mappingFile = file('mapping.json', JSON.stringify({ 'Alien #': 'aNumber', Apellido: 'familyName', Nombre: 'givenName', Born: 'birthDate' }));
    const cli = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['import', '--db', db, '--file', p, ...args], { out: (x) => out.push(x), err: (x) => err.push(x) }, {});
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const q = await cli(['--mapping', mappingFile, '--dry-run']);
    expect(q.code).toBe(1);
    expect(q.err).toMatch(/column "Born" has dates that read either way .* --day-first or --month-first/);
    const dry = await cli(['--mapping', mappingFile, '--day-first', '--dry-run']);
    expect(dry.out).toMatch(/checked: 2 to create, 0 to update, 0 unchanged, 0 held for review, 1 rejected/);
    expect(dry.out).toMatch(/row 4: rejected: Alien # \(aNumber\): A-number must have 7 to 9 digits/);
    expect(dry.out).toMatch(/dry run: nothing was written/);
    const refused = await cli(['--mapping', mappingFile, '--day-first']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/nothing was written/);
    const done = await cli(['--mapping', mappingFile, '--day-first', '--valid-only']);
    expect(done.code).toBe(0);
    expect(done.out).toMatch(/imported: 2 created, 0 updated/);
    expect(done.out).toMatch(/reason recorded: roster import list\.csv, \d{4}-\d{2}-\d{2} \(SHA-256 [0-9a-f]{64}\)/);
    const again = await cli(['--mapping', mappingFile, '--day-first', '--valid-only']);
    expect(again.out).toMatch(/imported: 0 created, 0 updated, 2 unchanged/);
    const s2 = testSession(db);
    expect((await people(s2)).map((x) => [x.aNumber, x.birthDate]).sort()).toEqual([['012345678', '1990-04-03'], ['087654321', '1991-06-05']]);
    s2.close();
  });

  it('progress: the check and the write push job events (rows checked, rows written) under the caller\'s jobId', async () => {
    const s = testSession();
    const events: { jobId: string; step: string; done: number; total: number; state: string }[] = [];
    s.ctx.jobs.subscribe((e) => events.push(e));
    const p = file('big.csv', rosterCsv(generateRoster(1200)));
    const info = await ok<Read>(s, 'import:read', { path: p });
    const input = { path: p, mapping: info.guess };
    await ok<Check>(s, 'import:check', { ...input, jobId: 'check-1' });
    await ok<Run>(s, 'import:run', { ...input, sha256: info.sha256, jobId: 'run-1' });
    await new Promise((r) => setTimeout(r, 0));
    const of = (id: string) => events.filter((e) => e.jobId === id).map((e) => `${e.step} ${e.done}/${e.total} ${e.state}`);
    expect(of('check-1')).toEqual(['starting 0/1 running', 'reading the file 0/1 running', 'checking rows 500/1200 running', 'checking rows 1000/1200 running', 'done 1200/1200 done']);
    // Nothing was written since the check: its plan is the write's, and the run only writes.
    expect(of('run-1')).toEqual(['starting 0/1 running', 'starting 0/1 running', 'writing records 500/1200 running', 'writing records 1000/1200 running', 'done 1200/1200 done']);
    // A write after the check (here a person typed in) makes the run check every row again.
    const again = file('again.csv', rosterCsv(generateRoster(600)));
    const info2 = await ok<Read>(s, 'import:read', { path: again });
    await ok<Check>(s, 'import:check', { path: again, mapping: info2.guess });
    await ok<Person>(s, 'people:create', { familyName: 'Typed', givenName: 'Meanwhile', aNumber: 'A099999999' });
    const run2 = await ok<Run>(s, 'import:run', { path: again, mapping: info2.guess, sha256: info2.sha256, jobId: 'run-2' });
    expect(run2.counts).toMatchObject({ create: 0, unchanged: 600 - run2.counts.rejected });
    await new Promise((r) => setTimeout(r, 0));
    expect(of('run-2')).toContain('checking rows 500/600 running');
  }, 60_000);

  it('a facility list: matched by folded name (updating what differs), else created; re-import changes nothing', async () => {
    const s = testSession();
    const existing = await ok<Facility>(s, 'facilities:create', { ...SAMPLE_FACILITY, name: 'Krome North Service Processing Center', city: 'Miami', state: 'FL', operator: 'ICE_OWNED' });
    const p = file('facilities.csv', 'Facility,City,State,Operator,Contractor,Standard\r\nKROME NORTH service processing center,Miami,FL,ICE-owned,Akima,PBNDS 2011\r\nStewart Detention Center,Lumpkin,ga,Private company,CoreCivic,NDS 2019\r\nBroken Facility,,ZZ,Somebody,,\r\n');
    const r = await importFile(s, p, { kind: 'facilities', validOnly: true });
    expect(r.check.counts).toMatchObject({ create: 1, update: 1, rejected: 1 });
    expect(r.check.rejected[0]!.issues.map((i) => i.field).sort()).toEqual(['city', 'operator', 'standard', 'state']);
    expect(r.check.updates).toEqual([{ line: 2, label: 'KROME NORTH service processing center', id: existing.id, fields: ['operatorName'] }]);
    const list = (await ok<{ items: Facility[] }>(s, 'facilities:list', {})).items;
    expect(list.map((f) => [f.name, f.state, f.operator, f.operatorName, f.standard])).toEqual([
      ['Krome North Service Processing Center', 'FL', 'ICE_OWNED', 'Akima', 'PBNDS_2011'],
      ['Stewart Detention Center', 'GA', 'PRIVATE', 'CoreCivic', 'NDS_2019'],
    ]);
    const again = await importFile(s, p, { kind: 'facilities', validOnly: true });
    expect(again.check.counts).toMatchObject({ create: 0, update: 0, unchanged: 2 });
  });
});


describe('in the core worker, as the app runs it', () => {
  it('the OS file dialog is asked of main; the chosen roster is read, checked and imported, with progress events', async () => {
    const { startCore } = await import('../../worker/host');
    const { tsWorkerScript } = await import('../../worker/ts-script');
    const db = tempDbFile();
    openSession(db, { user: 'seed' }).close();
    const roster = file('class.csv', encodeSingleByte('A#,Last Name,First Name,الاسم\r\nA012345678,Haddad,Yusuf,يوسف حداد\r\n', 'windows-1256'));
    const events: { jobId: string; state: string }[] = [];
    const host = startCore({ script: tsWorkerScript(), file: db, user: 'worker-test', check: 'quick', chooseFile: () => Promise.resolve(roster), onEvent: (e) => events.push(e) });
    try {
      const chosen = (await host.call('import:choose-file', {})) as Result<{ available: boolean; path: string }>;
      expect(chosen).toEqual({ ok: true, data: { available: true, path: roster } });
      const read = (await host.call('import:read', { path: roster })) as Result<Read>;
      if (!read.ok) throw new Error(read.error.message);
      expect(read.data.encoding).toBe('windows-1256');
      const input = { path: roster, mapping: read.data.guess };
      const run = (await host.call('import:run', { ...input, sha256: read.data.sha256, jobId: 'w-1' })) as Result<Run>;
      if (!run.ok) throw new Error(run.error.message);
      expect(run.data.created.map((c) => c.label)).toEqual(['Haddad, Yusuf']);
      expect(events.filter((e) => e.jobId === 'w-1').at(-1)?.state).toBe('done');
    } finally {
      await host.close();
    }
  }, 120_000);
});
