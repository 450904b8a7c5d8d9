// What a roster's columns can be imported into, and the guess from a header's words. Every guess is
// only a default: the Import page and `attest import --mapping` change any of them.
import { foldText } from '../text-fold';

/** The encodings a CSV roster is read in (detected, or chosen when the detection is wrong). */
export const ROSTER_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1256', 'windows-1252'] as const;
export type RosterEncoding = (typeof ROSTER_ENCODINGS)[number];

export const IMPORT_KINDS = ['people', 'facilities'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const PERSON_IMPORT_FIELDS = [
  'aNumber',
  'familyName',
  'givenName',
  'fullName',
  'nameOriginal',
  'birthDate',
  'nationality',
  'languages',
  'interpreterNeeded',
  'facility',
  'facilityCity',
  'facilityState',
  'facilityOperator',
  'detainedSince',
  'classMembership',
  'removalOrderStatus',
  'counsel',
] as const;
export type PersonImportField = (typeof PERSON_IMPORT_FIELDS)[number];

export const FACILITY_IMPORT_FIELDS = ['name', 'city', 'state', 'operator', 'operatorName', 'standard'] as const;
export type FacilityImportField = (typeof FACILITY_IMPORT_FIELDS)[number];

export type ImportField = PersonImportField | FacilityImportField;
export const IMPORT_FIELDS = [...new Set<ImportField>([...PERSON_IMPORT_FIELDS, ...FACILITY_IMPORT_FIELDS])];

export const DATE_FIELDS: readonly ImportField[] = ['birthDate', 'detainedSince'];

export const FIELD_LABELS: Record<ImportField, string> = {
  aNumber: 'A-number',
  familyName: 'Family name',
  givenName: 'Given name',
  fullName: 'Full name ("Family, Given")',
  nameOriginal: 'Name in original script',
  birthDate: 'Date of birth',
  nationality: 'Nationality',
  languages: 'Languages',
  interpreterNeeded: 'Interpreter needed',
  facility: 'Facility (name)',
  facilityCity: "Facility's city",
  facilityState: "Facility's state",
  facilityOperator: "Facility's operator",
  detainedSince: 'Detained since',
  classMembership: 'Class membership',
  removalOrderStatus: 'Removal order status',
  counsel: 'Counsel',
  name: 'Name',
  city: 'City',
  state: 'State',
  operator: 'Operator kind',
  operatorName: 'Operator name',
  standard: 'Detention standard',
};

export function fieldsOf(kind: ImportKind): readonly ImportField[] {
  return kind === 'people' ? PERSON_IMPORT_FIELDS : FACILITY_IMPORT_FIELDS;
}

/** Header spellings, folded (lower case, no accents) and stripped to letters and digits. */
const PERSON_ALIASES: Record<PersonImportField, string[]> = {
  aNumber: ['a', 'anumber', 'anum', 'ano', 'alien', 'aliennumber', 'alienno', 'alienregistrationnumber', 'aliennum', 'anumbers', 'rnumber', 'الرقم', 'رقمالاجنبي'],
  familyName: ['lastname', 'familyname', 'surname', 'last', 'family', 'apellido', 'apellidos', 'nom', 'nomdefamille', 'اسمالعائلة', 'اللقب'],
  givenName: ['firstname', 'givenname', 'first', 'given', 'forename', 'givennames', 'firstnames', 'nombre', 'prenom', 'الاسمالاول'],
  fullName: ['name', 'fullname', 'detaineename', 'clientname', 'classmember', 'membername', 'nombrecompleto'],
  nameOriginal: ['nameoriginal', 'originalname', 'namearabic', 'arabic', 'nameinoriginalscript', 'arabicname', 'nativename', 'nameinarabic', 'الاسمبالعربية', 'الاسمالكامل', 'الاسم'],
  birthDate: ['dob', 'dateofbirth', 'birthdate', 'birthday', 'born', 'fechadenacimiento', 'تاريخالميلاد'],
  nationality: ['nationality', 'citizenship', 'country', 'countryofcitizenship', 'countryoforigin', 'nacionalidad', 'الجنسية'],
  languages: ['language', 'languages', 'primarylanguage', 'idioma', 'اللغة'],
  interpreterNeeded: ['interpreter', 'interpreterneeded', 'needsinterpreter', 'interpreterrequired'],
  facility: ['facility', 'detentionlocation', 'detentionfacility', 'location', 'currentfacility', 'center', 'detentioncenter', 'facilityname', 'site', 'المركز'],
  facilityCity: ['facilitycity', 'city'],
  facilityState: ['facilitystate', 'state'],
  facilityOperator: ['facilityoperator', 'operator'],
  detainedSince: ['detainedsince', 'detentiondate', 'datedetained', 'bookindate', 'bookin', 'dateofdetention', 'detainedon', 'arrestdate'],
  classMembership: ['classmembership', 'classmemberstatus', 'member', 'inclass'],
  removalOrderStatus: ['removalorderstatus', 'removalorder', 'removalstatus', 'orderstatus', 'casestatus'],
  counsel: ['counsel', 'attorney', 'lawyer', 'counselofrecord', 'representative', 'attorneyofrecord'],
};

const FACILITY_ALIASES: Record<FacilityImportField, string[]> = {
  name: ['name', 'facility', 'facilityname', 'detentionlocation', 'detentionfacility', 'location'],
  city: ['city', 'town'],
  state: ['state', 'st'],
  operator: ['operator', 'operatorkind', 'operatortype', 'type', 'facilitytype'],
  operatorName: ['operatorname', 'contractor', 'company', 'operatedby'],
  standard: ['standard', 'detentionstandard', 'standards'],
};

/** A header as compared with the aliases: folded, letters and digits only ("Alien No." → "alienno"). */
export function headerKey(header: string): string {
  return foldText(header).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The guessed field of each column (or null), never two columns for one field. */
export function guessMapping(headers: readonly string[], kind: ImportKind): (ImportField | null)[] {
  const aliases: Record<string, string[]> = kind === 'people' ? PERSON_ALIASES : FACILITY_ALIASES;
  const out: (ImportField | null)[] = headers.map(() => null);
  const taken = new Set<string>();
  // Exact alias matches first, then headers that start with an alias of 4+ letters ("DOB (mm/dd)").
  for (const pass of ['exact', 'prefix'] as const) {
    headers.forEach((h, i) => {
      if (out[i]) return;
      const k = headerKey(h);
      if (!k) return;
      for (const [field, words] of Object.entries(aliases)) {
        if (taken.has(field)) continue;
        const hit = pass === 'exact' ? words.includes(k) : words.some((w) => w.length >= 4 && k.startsWith(w));
        if (hit) {
          out[i] = field as ImportField;
          taken.add(field);
          return;
        }
      }
    });
  }
  // Separate family and given names make a full-name column a second name: leave it unmapped.
  if (taken.has('familyName') && taken.has('givenName')) {
    const i = out.indexOf('fullName');
    if (i >= 0) out[i] = null;
  }
  return out;
}

/** How many of a row's cells look like headers of this kind (to find the header row under a title). */
export function headerScore(cells: readonly string[], kind: ImportKind): number {
  return guessMapping(cells, kind).filter((f) => f !== null).length;
}
