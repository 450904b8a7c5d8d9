import { Button, Group, Select, SimpleGrid, Stack, Table, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { FacilityInput } from '../../../shared/schemas';
import {
  DETENTION_STANDARDS,
  FACILITY_OPERATORS,
  OPERATOR_LABELS,
  STANDARD_LABELS,
  US_STATES,
} from '../../../shared/vocab';
import { call, fieldErrors } from '../api';
import { Empty, ErrorNote, Section } from '../components';
import { useList } from '../use-list';
import { zodValidate } from '../zod-form';

const EMPTY = { name: '', city: '', state: '', operator: '', operatorName: '', standard: 'PBNDS_2011' };

export function FacilitiesPage() {
  const list = useList('facilities:list', { limit: 500, offset: 0 });
  const [formError, setFormError] = useState<string>();
  const form = useForm({ initialValues: EMPTY, validate: zodValidate(FacilityInput) });

  const submit = form.onSubmit(async (values) => {
    const r = await call('facilities:create', values as FacilityInput);
    if (!r.ok) {
      form.setErrors(fieldErrors(r.error.issues));
      setFormError(r.error.message);
      return;
    }
    setFormError(undefined);
    form.setValues(EMPTY);
    await list.reload();
  });

  return (
    <Stack>
      <Section title="Add a facility" testId="facility-form">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label="Name" required {...form.getInputProps('name')} />
              <TextInput label="City" required {...form.getInputProps('city')} />
              <Select label="State" required searchable data={[...US_STATES]} {...form.getInputProps('state')} />
              <Select
                label="Operator"
                required
                data={FACILITY_OPERATORS.map((v) => ({ value: v, label: OPERATOR_LABELS[v] }))}
                {...form.getInputProps('operator')}
              />
              <TextInput label="Operator name" description="Company or county, if known" {...form.getInputProps('operatorName')} />
              <Select
                label="Detention standard"
                required
                data={DETENTION_STANDARDS.map((v) => ({ value: v, label: STANDARD_LABELS[v] }))}
                {...form.getInputProps('standard')}
              />
            </SimpleGrid>
            <ErrorNote message={formError} />
            <Group>
              <Button type="submit">Save facility</Button>
            </Group>
          </Stack>
        </form>
      </Section>
      <Section title={`Facilities (${list.data?.total ?? 0})`} testId="facility-list">
        <ErrorNote message={list.error} />
        {list.data && list.data.items.length === 0 ? (
          <Empty>No facilities yet.</Empty>
        ) : (
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>City</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Operator</Table.Th>
                <Table.Th>Standard</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data?.items.map((f) => (
                <Table.Tr key={f.id}>
                  <Table.Td>{f.name}</Table.Td>
                  <Table.Td>{f.city}</Table.Td>
                  <Table.Td>{f.state}</Table.Td>
                  <Table.Td>
                    {OPERATOR_LABELS[f.operator]}
                    {f.operatorName ? ` (${f.operatorName})` : ''}
                  </Table.Td>
                  <Table.Td>{STANDARD_LABELS[f.standard]}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </Stack>
  );
}
