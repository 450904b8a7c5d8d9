import { Badge, Button, Group, Modal, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useMemo, useState } from 'react';
import type { Facility } from '../../../../shared/schemas';
import {
  DETENTION_STANDARDS,
  FACILITY_OPERATORS,
  OPERATOR_LABELS,
  STANDARD_LABELS,
} from '../../../../shared/vocab';
import { call, fieldErrors, formSummary } from '../../api/client';
import { ErrorNote, PageHeader, Section, useFormError } from '../../ui/components';
import { FACILITY_FIELDS, fieldLabel, formatField } from '../../ui/labels';
import { refreshFacilities } from '../../api/lookups';
import { DataTable, type Column, type Sort } from '../../ui/data-table';
import { HistoryDrawer } from '../../ui/history-drawer';
import { RecordWriteModal, type RecordWrite } from '../../ui/reason-modal';
import { useUiState } from '../../ui/ui-state';
import { usePaged } from '../../api/use-paged';
import { pickProps, stateOptions } from '../../ui/pick';

interface FacilityValues {
  name: string;
  city: string;
  state: string;
  operator: string;
  operatorName: string;
  standard: string;
}
const EMPTY: FacilityValues = { name: '', city: '', state: '', operator: '', operatorName: '', standard: 'PBNDS_2011' };

/** Checks made in the browser before asking the database, in the words of the form. */
export const FACILITY_VALIDATE = {
  name: (v: string) => (v.trim() ? null : 'Give the facility name'),
  city: (v: string) => (v.trim() ? null : 'Give the city'),
  state: (v: string) => (v ? null : 'Choose the state'),
  operator: (v: string) => (v ? null : 'Choose who runs the facility'),
  standard: (v: string) => (v ? null : 'Choose the detention standard'),
};

function toInput(v: FacilityValues) {
  return {
    ...v,
    state: v.state as Facility['state'],
    operator: v.operator as Facility['operator'],
    standard: v.standard as Facility['standard'],
  };
}

function FacilityFields({ form }: { form: UseFormReturnType<FacilityValues> }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
      <TextInput label="Name" required {...form.getInputProps('name')} />
      <TextInput label="City" required {...form.getInputProps('city')} />
      <Select label="State" required {...pickProps()} data={stateOptions()} {...form.getInputProps('state')} />
      <Select
        label="Operator"
        required
        {...pickProps()}
        data={FACILITY_OPERATORS.map((v) => ({ value: v, label: OPERATOR_LABELS[v] }))}
        {...form.getInputProps('operator')}
      />
      <TextInput label="Operator name" description="Company or county, if known" {...form.getInputProps('operatorName')} />
      <Select
        label="Detention standard"
        required
        {...pickProps()}
        data={DETENTION_STANDARDS.map((v) => ({ value: v, label: STANDARD_LABELS[v] }))}
        {...form.getInputProps('standard')}
      />
    </SimpleGrid>
  );
}

export function FacilitiesPage() {
  const [showDeleted, setShowDeleted] = useUiState('facilities.deleted', false);
  const [sort, setSort] = useUiState<Sort | null>('facilities.sort', { id: 'name', desc: false });
  const list = usePaged<Facility>(String(showDeleted), (offset, limit) =>
    call('facilities:list', { offset, limit, deleted: showDeleted ? 'only' : 'hide' }),
  );
  const form = useForm<FacilityValues>({ initialValues: EMPTY, validate: FACILITY_VALIDATE });
  const [formError, setFormError] = useFormError(form.errors);
  const [open, setOpen] = useState<Facility | null>(null);
  // Remounting the fields after a save clears the selects' typed text too.
  const [formKey, setFormKey] = useState(0);

  const submit = form.onSubmit(async (values) => {
    const r = await call('facilities:create', toInput(values));
    if (!r.ok) {
      form.setErrors(fieldErrors(r.error.issues));
      setFormError(formSummary(r.error, fieldLabel(FACILITY_FIELDS)), r.error.issues.some((i) => i.path.length > 0));
      return;
    }
    setFormError(undefined);
    form.setValues(EMPTY);
    setFormKey((k) => k + 1);
    await Promise.all([list.reload(), refreshFacilities()]);
  });

  const columns = useMemo<Column<Facility>[]>(
    () => [
      { id: 'name', header: 'Name', width: 260, grow: true, value: (f) => f.name },
      { id: 'city', header: 'City', width: 150, value: (f) => f.city },
      { id: 'state', header: 'State', width: 80, value: (f) => f.state },
      {
        id: 'operator',
        header: 'Operator',
        width: 260,
        value: (f) => `${OPERATOR_LABELS[f.operator]}${f.operatorName ? ` (${f.operatorName})` : ''}`,
      },
      { id: 'standard', header: 'Standard', width: 120, value: (f) => STANDARD_LABELS[f.standard] },
    ],
    [],
  );

  return (
    <Stack gap="md">
      <PageHeader title="Facilities" description="Where people are held, and the detention standard each is bound by." />
      <Section title="Add a facility" testId="facility-form">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <FacilityFields key={formKey} form={form} />
            <ErrorNote message={formError} />
            <Group justify="flex-end">
              <Button type="submit">Save facility</Button>
            </Group>
          </Stack>
        </form>
      </Section>
      <Section
        title={`Facilities (${list.total})`}
        testId="facility-list"
        actions={<Switch label="Deleted only" checked={showDeleted} onChange={(e) => setShowDeleted(e.currentTarget.checked)} />}
      >
        <ErrorNote message={list.error} title="Could not load" />
        <DataTable
          label="Facilities"
          rows={list.rows}
          columns={columns}
          rowKey={(f) => f.id}
          sort={sort}
          onSortChange={setSort}
          total={list.available}
          onEndReached={list.loadMore}
          loading={list.loading}
          onRowClick={setOpen}
          muted={(f) => Boolean(f.deletedAt)}
          height={Math.min(480, 42 + Math.max(list.rows.length, 3) * 40)}
          empty="No facilities yet."
        />
      </Section>
      {open && (
        <FacilityEditor
          facility={open}
          onClose={() => setOpen(null)}
          onChanged={() => {
            setOpen(null);
            void list.reload();
            void refreshFacilities();
          }}
        />
      )}
    </Stack>
  );
}

function FacilityEditor({ facility, onClose, onChanged }: { facility: Facility; onClose: () => void; onChanged: () => void }) {
  const form = useForm<FacilityValues>({
    initialValues: { ...facility, operatorName: facility.operatorName ?? '' },
    validate: FACILITY_VALIDATE,
  });
  const [write, setWrite] = useState<RecordWrite | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const doWrite = async (kind: RecordWrite, reason: string) => {
    const guard = { id: facility.id, expectedVersion: facility.version, reason: reason || null };
    const r =
      kind === 'edit' && form.validate().hasErrors
        ? null
        : kind === 'edit'
        ? await call('facilities:update', { ...toInput(form.values), ...guard })
        : kind === 'delete'
          ? await call('facilities:delete', guard)
          : await call('facilities:restore', guard);
    if (!r) return 'Check the fields marked in red.';
    if (!r.ok) {
      form.setErrors(fieldErrors(r.error.issues));
      return formSummary(r.error, fieldLabel(FACILITY_FIELDS));
    }
    onChanged();
    return undefined;
  };
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={
        <Group gap="xs">
          {facility.name}
          {facility.deletedAt && <Badge color="red">Deleted</Badge>}
        </Group>
      }
    >
      <Stack gap="md">
        <FacilityFields form={form} />
        <Group justify="space-between">
          <Group gap="xs">
            <Button variant="default" onClick={() => setHistoryOpen(true)}>
              History
            </Button>
            {facility.deletedAt ? (
              <Button variant="light" onClick={() => setWrite('restore')}>
                Restore
              </Button>
            ) : (
              <Button variant="default" onClick={() => setWrite('delete')}>
                Delete
              </Button>
            )}
          </Group>
          <Button onClick={() => setWrite('edit')} disabled={!form.isDirty()}>
            Save changes…
          </Button>
        </Group>
      </Stack>
      <RecordWriteModal write={write} noun="facility" onClose={() => setWrite(null)} onConfirm={doWrite} />
      <HistoryDrawer
        opened={historyOpen}
        onClose={() => setHistoryOpen(false)}
        title="Facility history"
        load={() => call('facilities:history', { id: facility.id })}
        label={fieldLabel(FACILITY_FIELDS)}
        format={formatField(() => undefined)}
        order={Object.keys(FACILITY_FIELDS)}
      />
    </Modal>
  );
}
