import { Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { formatANumber } from '../../../shared/a-number';
import { PersonInput } from '../../../shared/schemas';
import { call, fieldErrors } from '../api';
import { Empty, ErrorNote, Section } from '../components';
import { useList } from '../use-list';
import { zodValidate } from '../zod-form';

const EMPTY = {
  familyName: '',
  givenName: '',
  nameOriginal: '',
  aNumber: '',
  birthDate: '',
  nationality: '',
  currentFacilityId: '',
};

export function PeoplePage() {
  const people = useList('people:list', { limit: 500, offset: 0 });
  const facilities = useList('facilities:list', { limit: 1000, offset: 0 });
  const [formError, setFormError] = useState<string>();
  const form = useForm({ initialValues: EMPTY, validate: zodValidate(PersonInput) });
  const facilityName = new Map(facilities.data?.items.map((f) => [f.id, f.name]));

  const submit = form.onSubmit(async (values) => {
    const r = await call('people:create', values);
    if (!r.ok) {
      form.setErrors(fieldErrors(r.error.issues));
      setFormError(r.error.message);
      return;
    }
    setFormError(undefined);
    form.setValues(EMPTY);
    await people.reload();
  });

  return (
    <Stack>
      <Section title="Add a person" testId="person-form">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label="Family name" required {...form.getInputProps('familyName')} />
              <TextInput label="Given name" required {...form.getInputProps('givenName')} />
              <TextInput
                label="Name in original script"
                dir="auto"
                description="e.g. Arabic"
                {...form.getInputProps('nameOriginal')}
              />
              <TextInput label="A-number" required placeholder="A 012-345-678" {...form.getInputProps('aNumber')} />
              <TextInput label="Birth date" type="date" {...form.getInputProps('birthDate')} />
              <TextInput label="Nationality" {...form.getInputProps('nationality')} />
              <Select
                label="Current facility"
                clearable
                searchable
                data={facilities.data?.items.map((f) => ({ value: f.id, label: `${f.name} (${f.city}, ${f.state})` })) ?? []}
                {...form.getInputProps('currentFacilityId')}
                onChange={(v) => form.setFieldValue('currentFacilityId', v ?? '')}
              />
            </SimpleGrid>
            <ErrorNote message={formError} />
            <Group>
              <Button type="submit">Save person</Button>
            </Group>
          </Stack>
        </form>
      </Section>
      <Section title={`People (${people.data?.total ?? 0})`} testId="person-list">
        <ErrorNote message={people.error} />
        {people.data && people.data.items.length === 0 ? (
          <Empty>No people yet.</Empty>
        ) : (
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Original script</Table.Th>
                <Table.Th>A-number</Table.Th>
                <Table.Th>Nationality</Table.Th>
                <Table.Th>Facility</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {people.data?.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    {p.familyName}, {p.givenName}
                  </Table.Td>
                  <Table.Td>
                    <Text span dir="auto">
                      {p.nameOriginal ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatANumber(p.aNumber)}</Table.Td>
                  <Table.Td>{p.nationality ?? ''}</Table.Td>
                  <Table.Td>{p.currentFacilityId ? (facilityName.get(p.currentFacilityId) ?? '') : ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </Stack>
  );
}
