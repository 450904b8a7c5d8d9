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
import {
  DATE_PRECISIONS,
  DATE_PRECISION_LABELS,
  DOCUMENT_KINDS,
  DOCUMENT_KIND_LABELS,
  INCIDENT_STATUSES,
  INCIDENT_STATUS_LABELS,
  STAFF_ROLES,
  STAFF_ROLE_LABELS,
} from '../../../../shared/vocab';
import { facilityOptions, useFacilities } from '../../api/lookups';
import { PersonSearch } from '../people/person-search';
import { monthOf, withMonth, withPrecision, type IncidentValues } from './incident-values';

/** A date input's props: with month precision it shows the month and keeps the day typed before. */
function dateProps(form: UseFormReturnType<IncidentValues>, field: 'occurredOn' | 'occurredUntil', month: boolean) {
  const p = form.getInputProps(field);
  if (!month) return p;
  const value = form.getValues()[field];
  return {
    ...p,
    value: monthOf(value),
    onChange: (e: { currentTarget: { value: string } }) => form.setFieldValue(field, withMonth(value, e.currentTarget.value)),
  };
}
import { BIDI } from '../../ui/text';
import { CATEGORY_SYNONYMS, categoryOptions, pickProps } from '../../ui/pick';

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
      {/* The precision sits right after the first date: one Tab from the year typed; its column is
          wide enough for its three labels at the smallest window. */}
      <div className="incident-dates">
        <TextInput
          ref={firstFieldRef}
          label="When (or from)"
          type={dateType}
          required
          {...dateProps(form, 'occurredOn', month)}
        />
        <Input.Wrapper label="Date precision" {...(form.errors.datePrecision ? { error: form.errors.datePrecision } : {})}>
          <SegmentedControl
            fullWidth
            data-testid="date-precision"
            data={DATE_PRECISIONS.map((p) => ({ value: p, label: DATE_PRECISION_LABELS[p] }))}
            value={v.datePrecision}
            // The dates stay as typed; only how they are shown and stored changes.
            onChange={(p) => form.setValues(withPrecision(form.getValues(), p))}
          />
        </Input.Wrapper>
        <TextInput
          label="Until (for a range)"
          type={dateType}
          {...dateProps(form, 'occurredUntil', month)}
        />
      </div>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
        <MultiSelect
          label="Categories"
          required
          {...pickProps(CATEGORY_SYNONYMS)}
          data={categoryOptions()}
          {...form.getInputProps('categories')}
        />
        <Select
          label="Facility"
          required
          {...pickProps()}
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
          {...pickProps()}
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
