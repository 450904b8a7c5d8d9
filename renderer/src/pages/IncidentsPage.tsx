import { Badge, Button, Group, MultiSelect, Select, SimpleGrid, Stack, Table, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { IncidentInput } from '../../../shared/schemas';
import { CATEGORIES, CATEGORY_CODES, type CategoryCode } from '../../../shared/vocab';
import { call, fieldErrors } from '../api';
import { Empty, ErrorNote, Section } from '../components';
import { useList } from '../use-list';
import { zodValidate } from '../zod-form';

const EMPTY = { personId: '', facilityId: '', occurredOn: '', categories: [] as string[], summary: '' };

export function IncidentsPage() {
  const incidents = useList('incidents:list', { limit: 500, offset: 0 });
  const people = useList('people:list', { limit: 1000, offset: 0 });
  const facilities = useList('facilities:list', { limit: 1000, offset: 0 });
  const [formError, setFormError] = useState<string>();
  const form = useForm({ initialValues: EMPTY, validate: zodValidate(IncidentInput) });

  const submit = form.onSubmit(async (values) => {
    const r = await call('incidents:create', { ...values, categories: values.categories as CategoryCode[] });
    if (!r.ok) {
      form.setErrors(fieldErrors(r.error.issues));
      setFormError(r.error.message);
      return;
    }
    setFormError(undefined);
    form.setValues(EMPTY);
    await incidents.reload();
  });

  const onPersonChange = (id: string | null) => {
    form.setFieldValue('personId', id ?? '');
    const person = people.data?.items.find((p) => p.id === id);
    if (person?.currentFacilityId && !form.values.facilityId) form.setFieldValue('facilityId', person.currentFacilityId);
  };

  return (
    <Stack>
      <Section title="Log an incident" testId="incident-form">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Select
                label="Person"
                required
                searchable
                data={
                  people.data?.items.map((p) => ({
                    value: p.id,
                    label: `${p.familyName}, ${p.givenName}${p.nameOriginal ? ` — ${p.nameOriginal}` : ''}`,
                  })) ?? []
                }
                {...form.getInputProps('personId')}
                onChange={onPersonChange}
              />
              <Select
                label="Facility"
                required
                searchable
                data={facilities.data?.items.map((f) => ({ value: f.id, label: `${f.name} (${f.city}, ${f.state})` })) ?? []}
                {...form.getInputProps('facilityId')}
                onChange={(v) => form.setFieldValue('facilityId', v ?? '')}
              />
              <TextInput label="Date" type="date" required {...form.getInputProps('occurredOn')} />
            </SimpleGrid>
            <MultiSelect
              label="Categories"
              required
              searchable
              data={CATEGORY_CODES.map((c) => ({ value: c, label: CATEGORIES[c].label }))}
              {...form.getInputProps('categories')}
            />
            <Textarea label="Summary" required dir="auto" autosize minRows={3} {...form.getInputProps('summary')} />
            <ErrorNote message={formError} />
            <Group>
              <Button type="submit">Save incident</Button>
            </Group>
          </Stack>
        </form>
      </Section>
      <Section title={`Incidents (${incidents.data?.total ?? 0})`} testId="incident-list">
        <ErrorNote message={incidents.error} />
        {incidents.data && incidents.data.items.length === 0 ? (
          <Empty>No incidents yet.</Empty>
        ) : (
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Person</Table.Th>
                <Table.Th>Facility</Table.Th>
                <Table.Th>Categories</Table.Th>
                <Table.Th>Summary</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {incidents.data?.items.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{i.occurredOn}</Table.Td>
                  <Table.Td>{i.personName}</Table.Td>
                  <Table.Td>{i.facilityName}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {i.categories.map((c) => (
                        <Badge key={c} variant="light" size="sm">
                          {CATEGORIES[c].label}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td dir="auto">{i.summary}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </Stack>
  );
}
