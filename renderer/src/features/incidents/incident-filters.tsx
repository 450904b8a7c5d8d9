// The incident filters, shared by the incident list and the dashboard: the same fields, the same
// stored values and the same channel input. Each page chooses which fields it shows where.
import { Select, SimpleGrid, TextInput } from '@mantine/core';
import type { IncidentRow } from '../../../../shared/schemas';
import { INCIDENT_STATUSES, INCIDENT_STATUS_LABELS, type CategoryCode } from '../../../../shared/vocab';
import { facilityOptions, useFacilities } from '../../api/lookups';
import { CATEGORY_SYNONYMS, categoryOptions, pickProps } from '../../ui/pick';
import { PersonSearch } from '../people/person-search';

export type Tri = 'any' | 'yes' | 'no';
export interface IncidentFilters {
  text: string;
  facilityId: string | null;
  category: string | null;
  personId: string;
  status: string | null;
  from: string;
  to: string;
  counselPresent: Tri;
  documentSigned: Tri;
  deleted: boolean;
}
export const NO_FILTERS: IncidentFilters = {
  text: '',
  facilityId: null,
  category: null,
  personId: '',
  status: null,
  from: '',
  to: '',
  counselPresent: 'any',
  documentSigned: 'any',
  deleted: false,
};

/** The filters both pages have (the list adds its search words and its deleted switch). */
export type FieldFilters = Omit<IncidentFilters, 'text' | 'deleted'>;
export type FilterField = keyof FieldFilters;
/** Sets the fields given, keeping the others. */
export type SetFilters = (change: Partial<FieldFilters>) => void;

const dateOk = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);
const tri = (t: Tri) => (t === 'any' ? undefined : t === 'yes');

/** What the filters ask of incidents:list, incidents:search and dashboard:summary (unset and half-typed dates left out). */
export function filterInput(f: FieldFilters) {
  const counsel = tri(f.counselPresent);
  const signed = tri(f.documentSigned);
  return {
    ...(f.facilityId ? { facilityId: f.facilityId } : {}),
    ...(f.category ? { category: f.category as CategoryCode } : {}),
    ...(f.personId ? { personId: f.personId } : {}),
    ...(f.status ? { status: f.status as IncidentRow['status'] } : {}),
    ...(dateOk(f.from) ? { from: f.from } : {}),
    ...(dateOk(f.to) ? { to: f.to } : {}),
    ...(counsel !== undefined ? { counselPresent: counsel } : {}),
    ...(signed !== undefined ? { documentSigned: signed } : {}),
  };
}

const TRI = [
  { value: 'any', label: 'Any' },
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];
const STATUS_OPTIONS = INCIDENT_STATUSES.map((s) => ({ value: s, label: INCIDENT_STATUS_LABELS[s] }));

/** The facility picker (its own component: only a grid that shows it loads the facilities). */
function FacilityFilter({ value, set }: { value: string | null; set: SetFilters }) {
  const facilities = useFacilities();
  return <Select label="Facility" clearable {...pickProps()} placeholder="Any" data={facilityOptions(facilities)} value={value} onChange={(v) => set({ facilityId: v })} />;
}

function Field({ field, filters: f, set }: { field: FilterField; filters: FieldFilters; set: SetFilters }) {
  switch (field) {
    case 'facilityId':
      return <FacilityFilter value={f.facilityId} set={set} />;
    case 'category':
      return (
        <Select label="Category" clearable {...pickProps(CATEGORY_SYNONYMS)} placeholder="Any" data={categoryOptions()} value={f.category} onChange={(v) => set({ category: v })} />
      );
    case 'personId':
      return <PersonSearch label="Person" clearable placeholder="Anyone" value={f.personId} onChange={(v) => set({ personId: v })} />;
    case 'status':
      return <Select label="Status" clearable placeholder="Any" data={STATUS_OPTIONS} value={f.status} onChange={(v) => set({ status: v })} />;
    case 'from':
      return <TextInput label="From" type="date" value={f.from} onChange={(e) => set({ from: e.currentTarget.value })} />;
    case 'to':
      return <TextInput label="To" type="date" value={f.to} onChange={(e) => set({ to: e.currentTarget.value })} />;
    case 'counselPresent':
      return <Select label="Counsel present" allowDeselect={false} data={TRI} value={f.counselPresent} onChange={(v) => set({ counselPresent: (v ?? 'any') as Tri })} />;
    case 'documentSigned':
      return <Select label="Document signed" allowDeselect={false} data={TRI} value={f.documentSigned} onChange={(v) => set({ documentSigned: (v ?? 'any') as Tri })} />;
  }
}

/** The chosen filter fields, in the order given, four to a row (two in a narrow window). */
export function FilterFields({ fields, filters, set }: { fields: readonly FilterField[]; filters: FieldFilters; set: SetFilters }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" verticalSpacing="xs">
      {fields.map((field) => (
        <Field key={field} field={field} filters={filters} set={set} />
      ))}
    </SimpleGrid>
  );
}
