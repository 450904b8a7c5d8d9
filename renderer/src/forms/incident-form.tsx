import {
  ActionIcon,
  Button,
  Checkbox,
  Divider,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Input,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { Ref } from 'react';
import type { Incident } from '../../../shared/schemas';
import {
  CATEGORIES,
  CATEGORY_CODES,
  DATE_PRECISIONS,
  DATE_PRECISION_LABELS,
  DOCUMENT_KINDS,
  DOCUMENT_KIND_LABELS,
  INCIDENT_STATUSES,
  INCIDENT_STATUS_LABELS,
  STAFF_ROLES,
  STAFF_ROLE_LABELS,
  type CategoryCode,
} from '../../../shared/vocab';
import { facilityOptions, useFacilities } from '../lookups';
import { PersonSearch } from './person-search';
import { BIDI } from '../ui/text';

type Tri = 'yes' | 'no' | 'unknown';
type Unit = 'minutes' | 'hours' | 'days';

export interface IncidentValues {
  occurredOn: string;
  occurredUntil: string;
  datePrecision: string;
  categories: string[];
  facilityId: string;
  summary: string;
  ownWords: string;
  staffInvolved: { role: string; name: string; badge: string }[];
  witnesses: { personId: string; description: string }[];
  deprivationAmount: number | string;
  deprivationUnit: Unit;
  documentPressed: string;
  documentOther: string;
  documentSigned: Tri;
  counselPresent: Tri;
  grievanceFiled: boolean;
  grievanceAnswer: string;
  corroboration: string;
  raisedWithOpposingCounselOn: string;
  status: string;
  includeInReport: boolean;
}

export function emptyIncident(facilityId = ''): IncidentValues {
  return {
    occurredOn: '',
    occurredUntil: '',
    datePrecision: 'exact',
    categories: [],
    facilityId,
    summary: '',
    ownWords: '',
    staffInvolved: [],
    witnesses: [],
    deprivationAmount: '',
    deprivationUnit: 'hours',
    documentPressed: '',
    documentOther: '',
    documentSigned: 'unknown',
    counselPresent: 'unknown',
    grievanceFiled: false,
    grievanceAnswer: '',
    corroboration: '',
    raisedWithOpposingCounselOn: '',
    status: 'new',
    includeInReport: true,
  };
}

/** True when nothing was typed yet (a fresh form is not worth keeping as a draft). */
export function isBlankIncident(v: IncidentValues): boolean {
  const e = emptyIncident(v.facilityId);
  return JSON.stringify({ ...v, datePrecision: 'exact', deprivationUnit: 'hours' }) === JSON.stringify(e);
}

const tri = (t: Tri): boolean | null => (t === 'yes' ? true : t === 'no' ? false : null);
const fromTri = (b: boolean | null): Tri => (b === true ? 'yes' : b === false ? 'no' : 'unknown');
const UNIT_MINUTES: Record<Unit, number> = { minutes: 1, hours: 60, days: 1440 };

/** Checks the browser can make before asking the database: a choice left empty. */
export function incidentFormErrors(v: IncidentValues): Record<string, string> {
  const e: Record<string, string> = {};
  if (!v.facilityId) e.facilityId = 'choose the facility';
  if (!v.occurredOn) e.occurredOn = 'give the date, or the first day of the range';
  if (!v.categories.length) e.categories = 'choose at least one category';
  return e;
}

/** Form fields the stored field names map to, so a server message lands next to its input. */
export const INCIDENT_RENAME: Record<string, string> = { deprivationMinutes: 'deprivationAmount' };

function lastDayOfMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-${String(d).padStart(2, '0')}`;
}

/** The channel input for these form values (without person, interview and write guard). */
export function incidentInput(v: IncidentValues) {
  const month = v.datePrecision === 'month';
  const amount = v.deprivationAmount === '' ? null : Number(v.deprivationAmount);
  return {
    facilityId: v.facilityId,
    occurredOn: month && /^\d{4}-\d{2}$/.test(v.occurredOn) ? `${v.occurredOn}-01` : v.occurredOn,
    occurredUntil: !v.occurredUntil
      ? null
      : month && /^\d{4}-\d{2}$/.test(v.occurredUntil)
        ? lastDayOfMonth(v.occurredUntil)
        : v.occurredUntil || null,
    datePrecision: v.datePrecision as Incident['datePrecision'],
    categories: v.categories as CategoryCode[],
    summary: v.summary,
    ownWords: v.ownWords,
    staffInvolved: v.staffInvolved.map((s) => ({ role: s.role as Incident['staffInvolved'][number]['role'], name: s.name, badge: s.badge })),
    witnesses: v.witnesses.map((w) => (w.personId ? { personId: w.personId } : { description: w.description })),
    deprivationMinutes: amount === null || Number.isNaN(amount) ? null : Math.round(amount * UNIT_MINUTES[v.deprivationUnit]),
    documentPressed: (v.documentPressed || null) as Incident['documentPressed'],
    documentOther: v.documentPressed === 'other' ? v.documentOther : null,
    documentSigned: v.documentPressed ? tri(v.documentSigned) : null,
    counselPresent: tri(v.counselPresent),
    grievanceFiled: v.grievanceFiled,
    grievanceAnswer: v.grievanceFiled ? v.grievanceAnswer : null,
    corroboration: v.corroboration,
    raisedWithOpposingCounselOn: v.raisedWithOpposingCounselOn || null,
    status: v.status as Incident['status'],
    includeInReport: v.status === 'excluded' ? false : v.includeInReport,
  };
}

export function incidentToValues(i: Incident): IncidentValues {
  const month = i.datePrecision === 'month';
  const mins = i.deprivationMinutes;
  const unit: Unit = mins === null ? 'hours' : mins % 1440 === 0 && mins > 0 ? 'days' : mins % 60 === 0 && mins > 0 ? 'hours' : 'minutes';
  return {
    occurredOn: month ? i.occurredOn.slice(0, 7) : i.occurredOn,
    occurredUntil: i.occurredUntil ? (month ? i.occurredUntil.slice(0, 7) : i.occurredUntil) : '',
    datePrecision: i.datePrecision,
    categories: i.categories,
    facilityId: i.facilityId,
    summary: i.summary,
    ownWords: i.ownWords ?? '',
    staffInvolved: i.staffInvolved.map((s) => ({ role: s.role, name: s.name ?? '', badge: s.badge ?? '' })),
    witnesses: i.witnesses.map((w) => ({ personId: w.personId ?? '', description: w.description ?? '' })),
    deprivationAmount: mins === null ? '' : mins / UNIT_MINUTES[unit],
    deprivationUnit: unit,
    documentPressed: i.documentPressed ?? '',
    documentOther: i.documentOther ?? '',
    documentSigned: fromTri(i.documentSigned),
    counselPresent: fromTri(i.counselPresent),
    grievanceFiled: i.grievanceFiled,
    grievanceAnswer: i.grievanceAnswer ?? '',
    corroboration: i.corroboration ?? '',
    raisedWithOpposingCounselOn: i.raisedWithOpposingCounselOn ?? '',
    status: i.status,
    includeInReport: i.includeInReport,
  };
}

const TRI = [
  { value: 'unknown', label: 'Unknown' },
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];

export interface IncidentFieldsProps {
  form: UseFormReturnType<IncidentValues>;
  firstFieldRef?: Ref<HTMLInputElement>;
  /** The person reporting, who cannot be their own witness. */
  personId: string | null;
}

/** Every field of an incident, in the order an attorney hears them. */
export function IncidentFields({ form, firstFieldRef, personId }: IncidentFieldsProps) {
  const facilities = useFacilities();
  const v = form.values;
  const month = v.datePrecision === 'month';
  const dateType = month ? 'month' : 'date';
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
        <TextInput
          ref={firstFieldRef}
          label="When (or from)"
          type={dateType}
          required
          {...form.getInputProps('occurredOn')}
        />
        <TextInput
          label="Until (for a range)"
          type={dateType}
          {...form.getInputProps('occurredUntil')}
        />
        <Input.Wrapper label="Date precision" {...(form.errors.datePrecision ? { error: form.errors.datePrecision } : {})}>
          <SegmentedControl
            fullWidth
            data-testid="date-precision"
            data={DATE_PRECISIONS.map((p) => ({ value: p, label: DATE_PRECISION_LABELS[p] }))}
            value={v.datePrecision}
            onChange={(p) => {
              // Switching between a day and a month keeps what was typed, in the other form.
              const toMonth = (d: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? d.slice(0, 7) : d);
              const toDay = (d: string) => (/^\d{4}-\d{2}$/.test(d) ? `${d}-01` : d);
              const conv = p === 'month' ? toMonth : toDay;
              form.setValues({ datePrecision: p, occurredOn: conv(v.occurredOn), occurredUntil: conv(v.occurredUntil) });
            }}
          />
        </Input.Wrapper>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
        <MultiSelect
          label="Categories"
          required
          searchable
          data={CATEGORY_CODES.map((c) => ({ value: c, label: CATEGORIES[c].label }))}
          {...form.getInputProps('categories')}
        />
        <Select
          label="Facility"
          required
          searchable
          data={facilityOptions(facilities)}
          {...form.getInputProps('facilityId')}
          value={v.facilityId || null}
          onChange={(id) => form.setFieldValue('facilityId', id ?? '')}
        />
      </SimpleGrid>
      <Textarea
        label="Summary"
        description="Neutral, in the attorney's words"
        required
        {...BIDI}
        autosize
        minRows={2}
        maxRows={8}
        {...form.getInputProps('summary')}
      />
      <Textarea
        label="Own words"
        description="What the person said, in their language (Arabic is fine)"
        {...BIDI}
        autosize
        minRows={2}
        maxRows={10}
        {...form.getInputProps('ownWords')}
      />

      <Divider label="Staff and witnesses" labelPosition="left" />
      <Stack gap="xs">
        {v.staffInvolved.map((_, i) => (
          <Group key={i} gap="sm" align="flex-end" wrap="nowrap">
            <Select
              label={i === 0 ? 'Staff role' : undefined}
              aria-label="Staff role"
              w={190}
              allowDeselect={false}
              data={STAFF_ROLES.map((r) => ({ value: r, label: STAFF_ROLE_LABELS[r] }))}
              {...form.getInputProps(`staffInvolved.${i}.role`)}
            />
            <TextInput
              label={i === 0 ? 'Name' : undefined}
              aria-label="Staff name"
              style={{ flex: 1 }}
              {...BIDI}
              {...form.getInputProps(`staffInvolved.${i}.name`)}
            />
            <TextInput
              label={i === 0 ? 'Badge' : undefined}
              aria-label="Badge"
              w={140}
              {...form.getInputProps(`staffInvolved.${i}.badge`)}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label="Remove staff member"
              onClick={() => form.removeListItem('staffInvolved', i)}
            >
              ✕
            </ActionIcon>
          </Group>
        ))}
        {v.witnesses.map((w, i) => (
          <Group key={`w${i}`} gap="sm" align="flex-end" wrap="nowrap">
            <PersonSearch
              label={i === 0 ? 'Witness in the database' : undefined}
              aria-label="Witness in the database"
              w={320}
              clearable
              excludeId={personId}
              value={w.personId}
              onChange={(id) => form.setFieldValue(`witnesses.${i}.personId`, id)}
              {...(form.errors[`witnesses.${i}`] ? { error: form.errors[`witnesses.${i}`] } : {})}
            />
            <TextInput
              label={i === 0 ? 'or describe the witness' : undefined}
              aria-label="Witness description"
              style={{ flex: 1 }}
              {...BIDI}
              disabled={Boolean(w.personId)}
              {...form.getInputProps(`witnesses.${i}.description`)}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label="Remove witness"
              onClick={() => form.removeListItem('witnesses', i)}
            >
              ✕
            </ActionIcon>
          </Group>
        ))}
        {form.errors.witnesses && (
          <Text size="xs" c="red">
            {form.errors.witnesses}
          </Text>
        )}
        <Group gap="xs">
          <Button
            variant="light"
            size="xs"
            onClick={() => form.insertListItem('staffInvolved', { role: 'ice_officer', name: '', badge: '' })}
          >
            Add staff involved
          </Button>
          <Button variant="light" size="xs" onClick={() => form.insertListItem('witnesses', { personId: '', description: '' })}>
            Add witness
          </Button>
        </Group>
      </Stack>

      <Divider label="Details" labelPosition="left" />
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <NumberInput
            label="Deprivation lasted"
            min={0}
            allowDecimal
            style={{ flex: 1 }}
            {...form.getInputProps('deprivationAmount')}
          />
          <Select
            aria-label="Unit"
            w={104}
            allowDeselect={false}
            data={[
              { value: 'minutes', label: 'minutes' },
              { value: 'hours', label: 'hours' },
              { value: 'days', label: 'days' },
            ]}
            {...form.getInputProps('deprivationUnit')}
          />
        </Group>
        <Select
          label="Document pressed to sign"
          clearable
          placeholder="None"
          data={DOCUMENT_KINDS.map((d) => ({ value: d, label: DOCUMENT_KIND_LABELS[d] }))}
          {...form.getInputProps('documentPressed')}
          value={v.documentPressed || null}
          onChange={(d) => form.setFieldValue('documentPressed', d ?? '')}
        />
        {v.documentPressed ? (
          <Input.Wrapper label="Signed?" {...(form.errors.documentSigned ? { error: form.errors.documentSigned } : {})}>
            <SegmentedControl fullWidth data={TRI} {...form.getInputProps('documentSigned')} data-testid="document-signed" />
          </Input.Wrapper>
        ) : (
          <div />
        )}
        {v.documentPressed === 'other' && (
          <TextInput label="Which document" {...form.getInputProps('documentOther')} />
        )}
        <Input.Wrapper label="Counsel present?">
          <SegmentedControl fullWidth data={TRI} {...form.getInputProps('counselPresent')} data-testid="counsel-present" />
        </Input.Wrapper>
        <TextInput
          label="Raised with opposing counsel on"
          type="date"
          {...form.getInputProps('raisedWithOpposingCounselOn')}
        />
        <Checkbox label="Grievance filed" mt={30} {...form.getInputProps('grievanceFiled', { type: 'checkbox' })} />
      </SimpleGrid>
      {v.grievanceFiled && (
        <Textarea label="Grievance answer" {...BIDI} autosize minRows={1} {...form.getInputProps('grievanceAnswer')} />
      )}
      <Textarea
        label="Corroboration"
        description="Records, other accounts, photos…"
        {...BIDI}
        autosize
        minRows={1}
        {...form.getInputProps('corroboration')}
      />
      <Group gap="xl" align="flex-end">
        <Input.Wrapper label="Status">
          <SegmentedControl
            fullWidth
            w={300}
            data={INCIDENT_STATUSES.map((s) => ({ value: s, label: INCIDENT_STATUS_LABELS[s] }))}
            {...form.getInputProps('status')}
            data-testid="incident-status"
          />
        </Input.Wrapper>
        <Checkbox
          label="Include in report"
          disabled={v.status === 'excluded'}
          mb={8}
          {...form.getInputProps('includeInReport', { type: 'checkbox' })}
          {...(v.status === 'excluded' ? { checked: false } : {})}
        />
      </Group>
    </Stack>
  );
}
