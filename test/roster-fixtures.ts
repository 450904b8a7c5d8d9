// Generated rosters for the import's tests and bench: realistic rows in the spellings offices use,
// with known faulty rows, and the people the valid rows describe, computed here independently of
// the importer (ISO dates and nine-digit A-numbers straight from the generator).
import { csvFormatRows } from 'd3-dsv';

export const ROSTER_HEADERS = ['A#', 'Last Name', 'First Name', 'Name (Arabic)', 'DOB', 'Nationality', 'Detention location', 'Detained since'];

const FAMILIES = ['Haddad', 'Khalil', 'Mansour', 'Nasser', 'Saleh', 'Hamdan', 'Yousef', 'Qasim', 'Darwish', 'Sabbagh', 'García', 'Hernández', 'Nuñez', 'Osei', 'Mensah'];
const GIVENS = ['Yusuf', 'Omar', 'Layla', 'Rania', 'Tariq', 'Samir', 'Huda', 'Karim', 'Nour', 'Amal', 'José', 'María', 'Kwame', 'Ama', 'Renée'];
const ARABIC = ['يوسف حداد', 'عمر خليل', 'ليلى منصور', 'رانيا ناصر', 'طارق صالح', 'سمير حمدان', 'هدى يوسف', 'كريم قاسم', 'نور درويش', 'أمل صباغ'];
const NATIONS = ['Iraq', 'Syria', 'Yemen', 'Sudan', 'Guatemala', 'Honduras', 'Ghana', 'Lebanon'];

export interface ExpectedPerson {
  aNumber: string;
  familyName: string;
  givenName: string;
  birthDate: string;
}

export interface Fault {
  line: number;
  field: string;
}

export interface GeneratedRoster {
  headers: string[];
  /** Every record of the file in order, the header first; [] is an empty line. */
  records: string[][];
  valid: Map<string, ExpectedPerson>;
  faults: Fault[];
  /** Lines of the repeated header row. */
  strayHeaders: number[];
  emptyLines: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function aNumberOf(i: number): string {
  return String(10_000_000 + i * 37).padStart(9, '0');
}

function spell(a: string, i: number): string {
  switch (i % 4) {
    case 0: return `A${a}`;
    case 1: return `A${a.slice(0, 3)}-${a.slice(3, 6)}-${a.slice(6)}`;
    case 2: return String(Number(a));
    default: return `a ${a.slice(0, 3)} ${a.slice(3, 6)} ${a.slice(6)}`;
  }
}

type Mutation = (row: string[]) => string;
const FAULTS: Mutation[] = [
  (r) => ((r[0] = 'A12'), 'aNumber'),
  (r) => ((r[0] = 'A1234567890'), 'aNumber'),
  (r) => ((r[0] = 'B12345678'), 'aNumber'),
  (r) => ((r[0] = '12-34-AB'), 'aNumber'),
  (r) => ((r[0] = 'A 123 456 78X'), 'aNumber'),
  (r) => ((r[4] = '02/30/1990'), 'birthDate'),
  (r) => ((r[4] = '13/45/1988'), 'birthDate'),
  (r) => ((r[4] = '00/10/1990'), 'birthDate'),
  (r) => ((r[4] = '2/29/1991'), 'birthDate'),
  (r) => ((r[4] = '1990-02-30'), 'birthDate'),
  (r) => ((r[4] = 'yesterday'), 'birthDate'),
  (r) => ((r[1] = ''), 'familyName'),
  (r) => ((r[1] = '   '), 'familyName'),
  (r) => ((r[2] = ''), 'givenName'),
  (r) => ((r[2] = '\u200b'), 'givenName'),
  (r) => ((r[1] = '=HYPERLINK("http://example.invalid","x")'), 'familyName'),
  (r) => ((r[2] = '+cmd|" /C calc"!A0'), 'givenName'),
  (r) => ((r[5] = '@SUM(1+1)'), 'nationality'),
  (r) => ((r[1] = '-x+cmd'), 'familyName'),
  (r) => ((r[2] = 'Lay\uD800la'), 'givenName'),
  (r) => ((r[1] = 'Had\uDC00dad'), 'familyName'),
  (r) => ((r[3] = 'يوسف\uD83D'), 'nameOriginal'),
  (r) => ((r[1] = 'x'.repeat(10_000)), 'familyName'),
  (r) => ((r[5] = 'y'.repeat(10_000)), 'nationality'),
  (r) => ((r[3] = 'ع'.repeat(10_000)), 'nameOriginal'),
  (r) => ((r[7] = '01/02/1950'), 'detainedSince'),
  (r) => ((r[7] = '12/01/2099'), 'detainedSince'),
  (r) => ((r[0] = ''), 'aNumber'),
];

/**
 * `count` data rows (faulty ones included), in MM/DD/YYYY dates (some days over 12, so the column
 * decides its order). With `faulty`, 28 single faults and one duplicated A-number (two rows) are
 * spread over the file, plus three empty lines and a repeated header row.
 */
export function generateRoster(count: number, o: { faulty?: boolean; facility?: string } = {}): GeneratedRoster {
  const records: string[][] = [ROSTER_HEADERS];
  const valid = new Map<string, ExpectedPerson>();
  const faults: Fault[] = [];
  const strayHeaders: number[] = [];
  let emptyLines = 0;
  const faultAt = new Map<number, number>();
  const dupAt: number[] = [];
  if (o.faulty) {
    FAULTS.forEach((_, k) => faultAt.set(Math.floor(((k + 1) * count) / (FAULTS.length + 3)), k));
    dupAt.push(Math.floor(count / 3) + 1, Math.floor((2 * count) / 3) + 1);
  }
  for (let i = 0; i < count; i++) {
    if (o.faulty && (i === 100 || i === 700 || i === 1200)) {
      records.push([]);
      emptyLines++;
    }
    if (o.faulty && i === 900) {
      records.push([...ROSTER_HEADERS]);
      strayHeaders.push(records.length);
    }
    const a = aNumberOf(i);
    const family = `${FAMILIES[i % FAMILIES.length]}`;
    const given = `${GIVENS[(i * 7) % GIVENS.length]} ${i}`;
    const y = 1960 + (i % 45);
    const m = 1 + (i % 12);
    const d = 1 + ((i * 5) % 28);
    const row = [
      spell(a, i),
      family,
      given,
      ARABIC[i % ARABIC.length]!,
      `${pad(m)}/${pad(d)}/${y}`,
      NATIONS[i % NATIONS.length]!,
      o.facility ?? '',
      i % 3 === 0 ? `${pad(1 + (i % 12))}/${pad(1 + (i % 27))}/2025` : '',
    ];
    const k = faultAt.get(i);
    records.push(row);
    const line = records.length;
    if (k !== undefined) {
      faults.push({ line, field: FAULTS[k]!(row) });
    } else if (dupAt.includes(i)) {
      row[0] = spell(aNumberOf(dupAt[0]!), i + 1);
      faults.push({ line, field: 'aNumber' });
    } else {
      valid.set(a, { aNumber: a, familyName: family, givenName: given, birthDate: `${y}-${pad(m)}-${pad(d)}` });
    }
  }
  return { headers: ROSTER_HEADERS, records, valid, faults, strayHeaders, emptyLines };
}

export function rosterCsv(r: GeneratedRoster): string {
  return csvFormatRows(r.records).replace(/\n/g, '\r\n') + '\r\n';
}

/** Text in Windows-1256 (Arabic) or any single-byte code page TextDecoder knows, byte by byte. */
export function encodeSingleByte(text: string, encoding: 'windows-1256' | 'windows-1252'): Uint8Array {
  const dec = new TextDecoder(encoding);
  const table = new Map<string, number>();
  for (let b = 255; b >= 0; b--) table.set(dec.decode(new Uint8Array([b])), b);
  const out: number[] = [];
  for (const ch of text) {
    const b = table.get(ch);
    if (b === undefined) throw new Error(`${ch} is not in ${encoding}`);
    out.push(b);
  }
  return new Uint8Array(out);
}
