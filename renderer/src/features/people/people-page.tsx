import { Button, Group, Modal, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { formatANumber } from '../../../../shared/a-number';
import type { Person } from '../../../../shared/schemas';
import { CLASS_MEMBERSHIPS, CLASS_MEMBERSHIP_LABELS } from '../../../../shared/vocab';
import { call } from '../../api/client';
import { pickProps } from '../../ui/pick';
import { ErrorNote, PageHeader } from '../../ui/components';
import { PersonForm } from './person-form';
import { facilityOptions, useFacilities } from '../../api/lookups';
import { useNav } from '../../ui/nav';
import { DataTable, type Column, type Sort } from '../../ui/data-table';
import { Tag } from '../../ui/cells';
import { useUiState } from '../../ui/ui-state';
import { usePaged } from '../../api/use-paged';
import { BIDI } from '../../ui/text';

const SERVER_SORTS = ['name', 'nameOriginal', 'aNumber', 'filingCode', 'detainedSince', 'createdAt'] as const;
type ServerSort = (typeof SERVER_SORTS)[number];

interface PeopleFilters {
  query: string;
  facilityId: string | null;
  classMembership: string | null;
  deleted: boolean;
}
const NO_FILTERS: PeopleFilters = { query: '', facilityId: null, classMembership: null, deleted: false };

export function PeoplePage() {
  const nav = useNav();
  const facilities = useFacilities();
  const [filters, setFilters] = useUiState<PeopleFilters>('people.filters', NO_FILTERS);
  const [sort, setSort] = useUiState<Sort | null>('people.sort', { id: 'name', desc: false });
  const [adding, setAdding] = useState(false);
  const [query] = useDebouncedValue(filters.query, 200);
  const facilityName = useMemo(() => new Map(facilities.map((f) => [f.id, f.name])), [facilities]);

  const serverSort: ServerSort = sort && (SERVER_SORTS as readonly string[]).includes(sort.id) ? (sort.id as ServerSort) : 'name';
  const request = {
    ...(query.trim() ? { query: query.trim() } : {}),
    ...(filters.facilityId ? { facilityId: filters.facilityId } : {}),
    ...(filters.classMembership ? { classMembership: filters.classMembership as Person['classMembership'] } : {}),
    deleted: filters.deleted ? ('only' as const) : ('hide' as const),
    sort: serverSort,
    direction: sort?.desc ? ('desc' as const) : ('asc' as const),
  };
  const list = usePaged<Person>(JSON.stringify(request), (offset, limit) => call('people:list', { ...request, offset, limit }));
  const allLoaded = list.rows.length >= list.total && !list.loading;

  const columns = useMemo<Column<Person>[]>(
    () => [
      { id: 'filingCode', header: 'Code', width: 92, value: (p) => p.filingCode },
      { id: 'name', header: 'Name', width: 180, value: (p) => `${p.familyName}, ${p.givenName}`, bidi: true },
      { id: 'nameOriginal', header: 'Original script', width: 150, value: (p) => p.nameOriginal, bidi: true },
      { id: 'aNumber', header: 'A-number', width: 120, value: (p) => p.aNumber, render: (p) => formatANumber(p.aNumber) },
      { id: 'nationality', header: 'Nationality', width: 104, value: (p) => p.nationality },
      {
        id: 'facility',
        header: 'Facility',
        width: 150,
        grow: true,
        value: (p) => (p.currentFacilityId ? (facilityName.get(p.currentFacilityId) ?? '') : ''),
      },
      { id: 'detainedSince', header: 'Detained', width: 104, value: (p) => p.detainedSince },
      {
        id: 'classMembership',
        header: 'Class',
        width: 104,
        value: (p) => CLASS_MEMBERSHIP_LABELS[p.classMembership],
        render: (p) =>
          p.classMembership === 'member' ? (
            <Tag tone="teal">Member</Tag>
          ) : p.classMembership === 'not_member' ? (
            'Not member'
          ) : (
            'Unknown'
          ),
      },
    ],
    [facilityName],
  );
  // With every row loaded the table sorts any column itself (with the collator); otherwise only
  // the columns the database can sort are offered.
  const shownColumns = columns.map((c) => ({ ...c, sortable: allLoaded || (SERVER_SORTS as readonly string[]).includes(c.id) }));
  const filtered = Boolean(filters.query || filters.facilityId || filters.classMembership || filters.deleted);

  return (
    <Stack gap="md">
      <PageHeader
        title="People"
        description="Detained clients and class members. Click a row to open everything about the person."
        actions={
          <>
            <Button variant="default" onClick={() => nav.go({ page: 'interview' })}>
              New interview
            </Button>
            <Button variant="default" onClick={() => nav.go({ page: 'import' })} data-testid="import-people">
              Import…
            </Button>
            <Button onClick={() => setAdding(true)} data-testid="add-person">
              Add a person
            </Button>
          </>
        }
      />
      <Group gap="sm" align="flex-end" data-testid="people-filters">
        <TextInput
          label="Find"
          placeholder="Name in any script, A-number or CM code"
          w={320}
          value={filters.query}
          onChange={(e) => {
            const query = e.currentTarget.value;
            setFilters((f) => ({ ...f, query }));
          }}
          {...BIDI}
        />
        <Select
          label="Facility"
          w={260}
          clearable
          {...pickProps()}
          placeholder="Any"
          data={facilityOptions(facilities)}
          value={filters.facilityId}
          onChange={(facilityId) => setFilters((f) => ({ ...f, facilityId }))}
        />
        <Select
          label="Class membership"
          w={180}
          clearable
          placeholder="Any"
          data={CLASS_MEMBERSHIPS.map((c) => ({ value: c, label: CLASS_MEMBERSHIP_LABELS[c] }))}
          value={filters.classMembership}
          onChange={(classMembership) => setFilters((f) => ({ ...f, classMembership }))}
        />
        <Switch
          label="Deleted only"
          mb={8}
          checked={filters.deleted}
          onChange={(e) => {
            const deleted = e.currentTarget.checked;
            setFilters((f) => ({ ...f, deleted }));
          }}
        />
        {filtered && (
          <Button variant="subtle" color="gray" mb={2} onClick={() => setFilters(NO_FILTERS)}>
            Clear
          </Button>
        )}
      </Group>
      <ErrorNote message={list.error} title="Could not load" />
      <Text size="sm" c="dimmed" data-testid="people-count">
        {list.total.toLocaleString('en-US')} {list.total === 1 ? 'person' : 'people'}
        {filtered ? ' match' : ''}
      </Text>
      <div data-testid="person-list">
        <DataTable
          label="People"
          rows={list.rows}
          columns={shownColumns}
          rowKey={(p) => p.id}
          sort={sort}
          onSortChange={setSort}
          serverSort={!allLoaded}
          total={list.available}
          onEndReached={list.loadMore}
          loading={list.loading}
          onRowClick={(p) => nav.go({ page: 'person', id: p.id })}
          rowTestId={(p) => `person-row-${p.filingCode}`}
          muted={(p) => Boolean(p.deletedAt)}
          height="fill"
          empty={filtered ? 'No one matches these filters.' : 'No people yet. Add a person, or start an interview.'}
        />
      </div>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add a person" size="xl">
        <PersonForm
          onSaved={(p) => {
            setAdding(false);
            void list.reload();
            nav.go({ page: 'person', id: p.id });
          }}
          onOpenPerson={(id) => {
            setAdding(false);
            nav.go({ page: 'person', id });
          }}
          onCancel={() => setAdding(false)}
        />
      </Modal>
    </Stack>
  );
}
