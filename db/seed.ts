// A deterministic, realistic data set for demos and the benchmark: the same seed gives the same
// rows, ids and timestamps. Writes through the repositories, so every record has its version.
import type { Db } from './driver';
import { createFacility, type FacilityFields } from './repo/facilities';
import { createIncident, type IncidentCreateFields } from './repo/incidents';
import { createInterview } from './repo/interviews';
import { createPerson } from './repo/people';
import { createStaff } from './repo/staff';
import type { WriteMeta } from './history/versions';

import { CATEGORY_CODES, type CategoryCode } from '../shared/vocab';

export interface SeedOptions {
  people: number;
  incidents: number;
  seed: number;
  /** Called every so often with the number of incidents written. */
  progress?: (written: number) => void;
}

export interface SeedResult {
  facilities: number;
  people: number;
  interviews: number;
  incidents: number;
  staff: number;
  /** Pairs of people entered twice under transliteration variants, for the similar-name warning to catch. */
  nearDuplicates: number;
}

/** mulberry32: small, fast, and the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A valid ULID from a timestamp and the generator, so ids are reproducible too. */
function seededUlid(ms: number, rnd: () => number): string {
  let time = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32]! + time;
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[Math.floor(rnd() * 32)]!;
  return time + tail;
}

const FACILITIES: FacilityFields[] = [
  { name: 'North Lake Processing Center', city: 'Baldwin', state: 'MI', operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'PBNDS_2011' },
  { name: 'Calhoun County Correctional Center', city: 'Battle Creek', state: 'MI', operator: 'COUNTY_IGSA', operatorName: null, standard: 'NDS_2019' },
  { name: 'South Texas ICE Processing Center', city: 'Pearsall', state: 'TX', operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'PBNDS_2011' },
  { name: 'Port Isabel Service Processing Center', city: 'Los Fresnos', state: 'TX', operator: 'ICE_OWNED', operatorName: null, standard: 'PBNDS_2011' },
  { name: 'Stewart Detention Center', city: 'Lumpkin', state: 'GA', operator: 'PRIVATE', operatorName: 'CoreCivic', standard: 'PBNDS_2011' },
  { name: 'Eloy Detention Center', city: 'Eloy', state: 'AZ', operator: 'CONTRACT', operatorName: 'CoreCivic', standard: 'PBNDS_2011' },
  { name: 'Adelanto ICE Processing Center', city: 'Adelanto', state: 'CA', operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'PBNDS_2011' },
  { name: 'Elizabeth Detention Center', city: 'Elizabeth', state: 'NJ', operator: 'CONTRACT', operatorName: 'CoreCivic', standard: 'PBNDS_2011' },
  { name: 'Buffalo Federal Detention Facility', city: 'Batavia', state: 'NY', operator: 'ICE_OWNED', operatorName: null, standard: 'PBNDS_2011' },
  { name: 'Krome North Service Processing Center', city: 'Miami', state: 'FL', operator: 'ICE_OWNED', operatorName: null, standard: 'PBNDS_2011' },
  { name: 'Otero County Processing Center', city: 'Chaparral', state: 'NM', operator: 'COUNTY_IGSA', operatorName: 'Management & Training Corp.', standard: 'NDS_2019' },
  { name: 'Northwest ICE Processing Center', city: 'Tacoma', state: 'WA', operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'PBNDS_2011' },
  { name: 'Aurora Contract Detention Facility', city: 'Aurora', state: 'CO', operator: 'CONTRACT', operatorName: 'GEO Group', standard: 'PBNDS_2011' },
  { name: 'Jena/LaSalle Detention Facility', city: 'Jena', state: 'LA', operator: 'PRIVATE', operatorName: 'GEO Group', standard: 'OTHER' },
];

// Given names with their Arabic spelling; the inner lists are transliterations of one name.
const ARABIC_GIVEN: [string[], string][] = [
  [['Mohammed', 'Muhammad', 'Mohamed'], 'محمد'],
  [['Ahmed', 'Ahmad'], 'أحمد'],
  [['Youssef', 'Yusuf', 'Yousef'], 'يوسف'],
  [['Hussein', 'Husain'], 'حسين'],
  [['Omar', 'Umar'], 'عمر'],
  [['Ali'], 'علي'],
  [['Khaled', 'Khalid'], 'خالد'],
  [['Fatima', 'Fatimah'], 'فاطمة'],
  [['Aisha', 'Aysha'], 'عائشة'],
  [['Mariam', 'Maryam'], 'مريم'],
  [['Abdelrahman', 'Abdul Rahman'], 'عبد الرحمن'],
  [['Ibrahim', 'Ebrahim'], 'إبراهيم'],
  [['Nour', 'Noor'], 'نور'],
  [['Salma'], 'سلمى'],
  [['Tariq', 'Tarek'], 'طارق'],
];
const ARABIC_FAMILY: [string, string][] = [
  ['Haddad', 'حداد'], ['Al-Masri', 'المصري'], ['Khalil', 'خليل'], ['Nasser', 'ناصر'], ['Saleh', 'صالح'],
  ['Hamdan', 'حمدان'], ['Mansour', 'منصور'], ['Darwish', 'درويش'], ['Qasim', 'قاسم'], ['Abboud', 'عبود'],
  ['Yassin', 'ياسين'], ['Othman', 'عثمان'], ['Farouk', 'فاروق'], ['Barakat', 'بركات'], ['Zaidan', 'زيدان'],
];
const ARABIC_NATIONALITIES = ['Syria', 'Iraq', 'Yemen', 'Egypt', 'Sudan', 'Lebanon', 'Jordan', 'Morocco'];
const LATIN_GIVEN = ['José', 'María', 'Juan', 'Ana', 'Luis', 'Sofía', 'Carlos', 'Lucía', 'Jorge', 'Ángel', 'Rosa', 'Andrés', 'Wilmer', 'Yesenia', 'Édgar', 'Marisol'];
const LATIN_FAMILY = ['García', 'Hernández', 'López', 'Martínez', 'Pérez', 'Rodríguez', 'Gómez', 'Díaz', 'Cruz', 'Ramírez', 'Peña', 'Muñoz', 'Castillo', 'Orellana', 'Ajú', 'Xicay'];
const LATIN_NATIONALITIES = ['Guatemala', 'Honduras', 'El Salvador', 'Mexico', 'Venezuela', 'Nicaragua', 'Colombia', 'Ecuador'];
const OTHER: { given: string[]; family: string[]; nationality: string; language: string }[] = [
  { given: ['Jean', 'Marie', 'Wilner', 'Roseline'], family: ['Pierre', 'Joseph', 'Baptiste', 'Louis'], nationality: 'Haiti', language: 'Haitian Creole' },
  { given: ['Gurpreet', 'Harjit', 'Manpreet'], family: ['Singh', 'Kaur'], nationality: 'India', language: 'Punjabi' },
  { given: ['Ahmad Shah', 'Zahra', 'Farid'], family: ['Noori', 'Rahimi', 'Ahmadzai'], nationality: 'Afghanistan', language: 'Dari' },
];

// Summaries are written neutrally in English; own words are in the person's language.
const SUMMARIES: Record<CategoryCode, string[]> = {
  FOOD: ['Reports that meals were withheld for the whole housing unit after a count dispute.', 'Reports receiving spoiled food and no replacement meal.'],
  WATER: ['Reports that drinking water was shut off in the cell for most of a day.', 'Reports being refused water during transport in the heat.'],
  RESTROOM: ['Reports being denied restroom access for several hours in the holding cell.', 'Reports that the only toilet was broken and requests to use another were refused.'],
  COERCED_DEPARTURE: ['Reports an officer repeatedly pressed him to sign Form I-210 for voluntary departure without counsel.', 'Reports being told she would be detained for years unless she signed voluntary departure.'],
  STIPULATED_REMOVAL: ['Reports being handed a stipulated removal form in English and told to sign it that night.', 'Reports an officer said the stipulated removal paper was a release form.'],
  COUNSEL_INTERFERENCE: ['Reports that a scheduled legal call was cancelled and not rescheduled.', 'Reports legal mail was opened outside his presence.'],
  MISREPRESENTATION: ['Reports an officer said the class action had been dismissed and the lawyers had left.', 'Reports being told joining the lawsuit would cancel his asylum case.'],
  THREATS: ['Reports an officer said he would be sent far away if he kept calling his lawyer.', 'Reports being warned that asking for a lawyer would mean a longer detention.'],
  RETALIATION: ['Reports his commissary was cut off the day after he filed a grievance.', 'Reports a transfer to a colder unit after speaking with class counsel.'],
  SEGREGATION: ['Reports being placed in solitary confinement for nine days without a hearing.', 'Reports placement in the special management unit after a hunger strike.'],
  FORCE: ['Reports being pushed to the floor and restrained during a cell search.', 'Reports handcuffs were tightened until his wrists bled.'],
  MEDICAL: ['Reports insulin was withheld for two days despite repeated requests.', 'Reports a request to see a doctor for chest pain was ignored for a week.'],
  SEXUAL_ABUSE: ['Reports an unnecessary strip search by an officer of the opposite sex.', 'Reports sexual comments by a guard during night counts.'],
  RELIGIOUS: ['Reports halal meals were refused during Ramadan.', 'Reports her prayer rug and Quran were confiscated.'],
  TRANSFER: ['Reports a transfer to another state the night before a legal visit.', 'Reports being moved without notice to counsel or family.'],
  OTHER: ['Reports the housing unit was kept extremely cold for days.', 'Reports personal property was lost during intake and not returned.'],
};
const OWN_WORDS_AR: Record<string, string> = {
  FOOD: 'لم يعطونا الطعام طوال اليوم بعد العدّ.',
  WATER: 'قطعوا الماء عن الزنزانة ولم نشرب شيئاً حتى المساء.',
  RESTROOM: 'طلبت الذهاب إلى الحمام مرات كثيرة ورفض الحارس.',
  COERCED_DEPARTURE: 'قال لي الضابط: وقّع على الورقة وإلا ستبقى هنا سنوات.',
  STIPULATED_REMOVAL: 'أعطوني ورقة بالإنجليزية وقالوا وقّع الليلة.',
  COUNSEL_INTERFERENCE: 'ألغوا مكالمتي مع المحامية ولم يقولوا لماذا.',
  MISREPRESENTATION: 'قالوا إن القضية انتهت وإن المحامين ذهبوا.',
  THREATS: 'قال الحارس إذا اتصلت بالمحامي سنرسلك بعيداً.',
  RETALIATION: 'بعد الشكوى منعوني من الكانتين.',
  SEGREGATION: 'وضعوني في الحبس الانفرادي تسعة أيام.',
  FORCE: 'دفعني الحارس على الأرض وشدّ القيود.',
  MEDICAL: 'طلبت الأنسولين يومين ولم يعطوني.',
  SEXUAL_ABUSE: 'فتشوني بطريقة مهينة أمام الآخرين.',
  RELIGIOUS: 'رفضوا إعطائي طعاماً حلالاً في رمضان.',
  TRANSFER: 'نقلوني في الليل قبل زيارة المحامي.',
  OTHER: 'كانت الغرفة باردة جداً لأيام.',
};
const OWN_WORDS_ES: Record<string, string> = {
  FOOD: 'Nos dejaron sin comida todo el día.',
  WATER: 'Cortaron el agua de la celda y no tomamos nada hasta la noche.',
  RESTROOM: 'Pedí ir al baño muchas veces y el guardia no quiso.',
  COERCED_DEPARTURE: 'El oficial me dijo: firma la salida voluntaria o te quedas aquí años.',
  STIPULATED_REMOVAL: 'Me dieron un papel en inglés y me dijeron que lo firmara esa noche.',
  COUNSEL_INTERFERENCE: 'Cancelaron mi llamada con la abogada.',
  MISREPRESENTATION: 'Dijeron que la demanda ya se había acabado.',
  THREATS: 'El guardia dijo que si llamaba al abogado me mandaban lejos.',
  RETALIATION: 'Después de la queja me quitaron la tienda.',
  SEGREGATION: 'Me pusieron en aislamiento nueve días.',
  FORCE: 'El guardia me tiró al piso y me apretó las esposas.',
  MEDICAL: 'Pedí la insulina dos días y no me la dieron.',
  SEXUAL_ABUSE: 'Me revisaron de una manera humillante.',
  RELIGIOUS: 'No me dejaron rezar.',
  TRANSFER: 'Me trasladaron de noche antes de la visita legal.',
  OTHER: 'El cuarto estaba muy frío por días.',
};
const STAFF = [
  { name: 'Dana Whitfield', role: 'Attorney' },
  { name: 'Samir Haddad', role: 'Attorney' },
  { name: 'Lucía Ortega', role: 'Paralegal' },
  { name: 'Grace Kim', role: 'Supervising attorney' },
];
const PLACES = ['Attorney visiting room', 'Legal video booth', 'Housing unit B legal room', 'Phone (legal line)'];
const INTERPRETERS: Record<string, string> = { Arabic: 'Rania Aziz', Spanish: 'Miguel Santos', 'Haitian Creole': 'Jean-Paul Celestin', Punjabi: 'Harpreet Gill', Dari: 'Soraya Amiri' };

const DAY = 86_400_000;

export function seed(db: Db, opts: SeedOptions): SeedResult {
  const rnd = prng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const base = Date.UTC(2025, 0, 1);
  let clock = base;
  // Each write is one second after the previous, so timestamps are reproducible and ordered.
  const meta = (by: string): WriteMeta => {
    clock += 1000;
    return { at: new Date(clock).toISOString(), by, reason: null };
  };
  const id = () => seededUlid(clock, rnd);
  const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  return db.transaction(() => {
    const staff = STAFF.map((s) => createStaff(db, s, meta('seed'), id()));
    const facilities = FACILITIES.map((f) => createFacility(db, f, meta(staff[3]!.name), id()));
    const people: { id: string; facilityId: string; language: string; interviewIds: string[] }[] = [];
    let nearDuplicates = 0;
    let interviews = 0;
    let lastArabic: { family: number; given: number; variant: number } | null = null;
    for (let i = 0; i < opts.people; i++) {
      const by = pick(staff).name;
      const facility = facilities[Math.floor(rnd() * facilities.length)]!;
      const kind = rnd();
      let familyName: string;
      let givenName: string;
      let nameOriginal: string | null = null;
      let nationality: string;
      let language: string;
      // About one person in a hundred is a second entry of an earlier one, under another spelling.
      if (lastArabic && rnd() < 0.01) {
        const g = ARABIC_GIVEN[lastArabic.given]!;
        familyName = ARABIC_FAMILY[lastArabic.family]![0].toUpperCase();
        givenName = g[0][(lastArabic.variant + 1) % g[0].length]!;
        nameOriginal = `${g[1]} ${ARABIC_FAMILY[lastArabic.family]![1]}`;
        nationality = pick(ARABIC_NATIONALITIES);
        language = 'Arabic';
        nearDuplicates++;
        lastArabic = null;
      } else if (kind < 0.45) {
        const gi = Math.floor(rnd() * ARABIC_GIVEN.length);
        const fi = Math.floor(rnd() * ARABIC_FAMILY.length);
        const variant = Math.floor(rnd() * ARABIC_GIVEN[gi]![0].length);
        givenName = ARABIC_GIVEN[gi]![0][variant]!;
        familyName = ARABIC_FAMILY[fi]![0];
        nameOriginal = `${ARABIC_GIVEN[gi]![1]} ${ARABIC_FAMILY[fi]![1]}`;
        nationality = pick(ARABIC_NATIONALITIES);
        language = 'Arabic';
        lastArabic = { family: fi, given: gi, variant };
      } else if (kind < 0.85) {
        givenName = pick(LATIN_GIVEN);
        familyName = `${pick(LATIN_FAMILY)}${rnd() < 0.5 ? ` ${pick(LATIN_FAMILY)}` : ''}`;
        nationality = pick(LATIN_NATIONALITIES);
        language = nationality === 'Guatemala' && rnd() < 0.3 ? "K'iche'" : 'Spanish';
      } else {
        const o = pick(OTHER);
        givenName = pick(o.given);
        familyName = pick(o.family);
        nationality = o.nationality;
        language = o.language;
      }
      const birth = base - (18 + Math.floor(rnd() * 45)) * 365 * DAY - Math.floor(rnd() * 365) * DAY;
      const detained = base - Math.floor(rnd() * 400) * DAY;
      const consent = rnd() < 0.7;
      const person = createPerson(
        db,
        {
          familyName,
          givenName,
          nameOriginal,
          // Distinct for every i below 900 million: 48271 is coprime with 9e8.
          aNumber: String(100_000_000 + ((i * 48_271) % 900_000_000)),
          birthDate: isoDay(birth),
          nationality,
          languages: language === "K'iche'" ? [language, 'Spanish'] : [language],
          interpreterNeeded: language !== 'English' && rnd() < 0.9,
          currentFacilityId: facility.id,
          detainedSince: isoDay(detained),
          classMembership: pick(['member', 'member', 'member', 'not_member', 'unknown'] as const),
          removalOrderStatus: pick(['unknown', 'none', 'proceedings_pending', 'proceedings_pending', 'final_order', 'appeal_pending'] as const),
          counsel: rnd() < 0.6 ? 'Great Lakes Immigrant Advocates' : null,
          consentGiven: consent,
          consentDate: consent ? isoDay(detained + 30 * DAY) : null,
          consentScope: consent ? 'Declarations and status reports in the class action' : null,
        },
        meta(by),
        id(),
      );
      const interviewId = id();
      const start = new Date(detained + (20 + Math.floor(rnd() * 60)) * DAY + (9 + Math.floor(rnd() * 8)) * 3_600_000);
      createInterview(
        db,
        {
          personId: person.id,
          startedAt: start.toISOString().slice(0, 16),
          place: `${pick(PLACES)}, ${facility.name}`,
          interviewer: by,
          mode: pick(['in_person', 'in_person', 'phone', 'video'] as const),
          interpreter: INTERPRETERS[language] ?? null,
          interpreterLanguage: INTERPRETERS[language] ? language : null,
          durationMinutes: 20 + Math.floor(rnd() * 40),
          declarationStatus: 'none',
          declarationSignedOn: null,
          notes: null,
        },
        meta(by),
        interviewId,
      );
      interviews++;
      people.push({ id: person.id, facilityId: facility.id, language, interviewIds: [interviewId] });
    }

    for (let n = 0; n < opts.incidents; n++) {
      const p = people[Math.floor(rnd() * people.length)]!;
      // The first incidents walk the whole vocabulary, so every category is present.
      const first: CategoryCode = n < CATEGORY_CODES.length ? CATEGORY_CODES[n]! : pick(CATEGORY_CODES);
      const categories = new Set<CategoryCode>([first]);
      if (rnd() < 0.3) categories.add(pick(CATEGORY_CODES));
      const day = base + Math.floor(rnd() * 540) * DAY;
      const r = rnd();
      const precision = r < 0.7 ? 'exact' : r < 0.85 ? 'month' : 'approximate';
      const occurredOn = precision === 'month' ? `${isoDay(day).slice(0, 8)}01` : isoDay(day);
      const occurredUntil = precision === 'approximate' && rnd() < 0.5 ? isoDay(day + (1 + Math.floor(rnd() * 10)) * DAY) : null;
      const document = first === 'COERCED_DEPARTURE' ? 'i210_voluntary_departure' : first === 'STIPULATED_REMOVAL' ? 'stipulated_removal' : null;
      const ownWords = p.language === 'Arabic' ? OWN_WORDS_AR[first]! : p.language === 'Spanish' ? OWN_WORDS_ES[first]! : null;
      const status = pick(['new', 'new', 'verified', 'verified', 'verified', 'excluded'] as const);
      const fields: IncidentCreateFields = {
        personId: p.id,
        interviewId: p.interviewIds[0]!,
        facilityId: rnd() < 0.9 ? p.facilityId : facilities[Math.floor(rnd() * facilities.length)]!.id,
        occurredOn,
        occurredUntil,
        datePrecision: precision,
        categories: [...categories],
        summary: pick(SUMMARIES[first]),
        ownWords,
        staffInvolved: rnd() < 0.5 ? [{ role: pick(['ice_officer', 'contract_guard', 'medical'] as const), name: null, badge: rnd() < 0.5 ? String(1000 + Math.floor(rnd() * 9000)) : null }] : [],
        witnesses: [],
        deprivationMinutes: ['FOOD', 'WATER', 'RESTROOM'].includes(first) ? 60 * (1 + Math.floor(rnd() * 30)) : null,
        documentPressed: document,
        documentOther: null,
        documentSigned: document ? rnd() < 0.2 : null,
        counselPresent: document ? false : rnd() < 0.5 ? null : rnd() < 0.1,
        grievanceFiled: rnd() < 0.2,
        grievanceAnswer: null,
        corroboration: rnd() < 0.1 ? 'Cellmate gave a consistent account.' : null,
        raisedWithOpposingCounselOn: rnd() < 0.05 ? isoDay(day + 30 * DAY) : null,
        status,
        includeInReport: status !== 'excluded',
      };
      createIncident(db, fields, meta(pick(staff).name), id());
      if (opts.progress && (n + 1) % 50_000 === 0) opts.progress(n + 1);
    }
    return { facilities: facilities.length, people: people.length, interviews, incidents: opts.incidents, staff: staff.length, nearDuplicates };
  }).immediate();
}
