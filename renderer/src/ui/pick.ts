// Choosing from a list by typing: options are found by their label, their stored code and the
// words people use for them ("food" finds "Meals withheld"); an exact code comes first, then labels
// that begin with what was typed. The first match is highlighted, so Enter picks it, and Enter in
// a select never submits its form (a State left empty by "MI" + Enter).
import type { ComboboxItem, ComboboxParsedItem, OptionsFilter } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import { CATEGORIES, CATEGORY_CODES, type CategoryCode } from '../../../shared/vocab';
import { foldText } from '../../../shared/text-fold';

/** Words people type for each category, beside its label and code. */
export const CATEGORY_SYNONYMS: Record<CategoryCode, string> = {
  FOOD: 'food meal meals hunger hungry eat eating starve starving ration',
  WATER: 'water drink drinking thirst thirsty dehydration',
  RESTROOM: 'restroom toilet bathroom sanitation hygiene',
  COERCED_DEPARTURE: 'voluntary departure i-210 i210 sign coerced pressure deport',
  STIPULATED_REMOVAL: 'stipulated removal order sign deport',
  COUNSEL_INTERFERENCE: 'counsel lawyer attorney visit call phone legal mail',
  MISREPRESENTATION: 'lie lied lies false misled class action',
  THREATS: 'threat threats threatened intimidation',
  RETALIATION: 'retaliation punish punished revenge',
  SEGREGATION: 'segregation solitary isolation shu confinement',
  FORCE: 'force beaten beating hit assault pepper spray restraint',
  MEDICAL: 'medical medicine medication doctor nurse health sick insulin care clinic',
  SEXUAL_ABUSE: 'sexual abuse assault harassment rape prea',
  RELIGIOUS: 'religious religion prayer pray ramadan halal fasting',
  TRANSFER: 'transfer transferred moved relocated',
  OTHER: 'other',
};

export const US_STATE_NAMES: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
  MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
  NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  PR: 'Puerto Rico', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas',
  UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  GU: 'Guam', VI: 'U.S. Virgin Islands', MP: 'Northern Mariana Islands', AS: 'American Samoa',
};

/** How well an option answers what was typed: 0 is best, null is no match. */
export function optionRank(option: { value: string; label: string }, typed: string, keywords = ''): number | null {
  const q = foldText(typed).trim();
  if (!q) return 3;
  const code = foldText(option.value);
  const label = foldText(option.label);
  if (code === q) return 0;
  if (label.startsWith(q) || label.split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(q))) return 1;
  if (label.includes(q) || code.includes(q)) return 2;
  const words = foldText(keywords).split(/\s+/);
  return q.split(/\s+/).every((t) => words.some((w) => w.startsWith(t))) ? 2 : null;
}

/** A select's filter that searches labels, codes and the given words, best first. */
export function searchFilter(keywords: Readonly<Record<string, string>> = {}): OptionsFilter {
  return ({ options, search, limit }) => {
    const flat = options.filter((o): o is ComboboxItem => 'value' in o);
    const ranked = flat
      .map((o, i) => ({ o, i, r: optionRank({ value: String(o.value), label: o.label }, search, keywords[String(o.value)]) }))
      .filter((x): x is { o: ComboboxItem; i: number; r: number } => x.r !== null)
      .sort((a, b) => a.r - b.r || a.i - b.i);
    return ranked.slice(0, limit).map((x) => x.o) as ComboboxParsedItem[];
  };
}

/** Enter in a select picks the highlighted option (Mantine does that) and never submits the form. */
export function keepEnterInSelect(e: KeyboardEvent<HTMLInputElement>): void {
  if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) e.preventDefault();
}

/** Props for a select found by typing: the first match highlighted, Enter kept in the select. */
export function pickProps(keywords?: Readonly<Record<string, string>>) {
  return {
    searchable: true,
    selectFirstOptionOnChange: true,
    filter: searchFilter(keywords),
    onKeyDown: keepEnterInSelect,
    nothingFoundMessage: 'Nothing matches',
  } as const;
}

export const stateOptions = () =>
  Object.keys(US_STATE_NAMES).map((code) => ({ value: code, label: `${code} — ${US_STATE_NAMES[code]}` }));

export const categoryOptions = () => CATEGORY_CODES.map((c) => ({ value: c, label: CATEGORIES[c].label }));
