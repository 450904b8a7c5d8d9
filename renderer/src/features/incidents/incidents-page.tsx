import { Button, Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import type { IncidentRow } from '../../../../shared/schemas';
import { INCIDENT_STATUS_LABELS } from '../../../../shared/vocab';
import { call } from '../../api/client';
import { ErrorNote, PageHeader } from '../../ui/components';
import { categoryLabel, formatWhen } from '../../ui/labels';
import { useNav } from '../../ui/nav';
import { DataTable, type Column, type Sort } from '../../ui/data-table';
import { formatDateTime } from '../../ui/format';
import { Dim, Tag, Tags } from '../../ui/cells';
import { useUiState } from '../../ui/ui-state';
import { usePaged } from '../../api/use-paged';
import { BIDI } from '../../ui/text';
import { FilterFields, NO_FILTERS, filterInput, type IncidentFilters } from './incident-filters';

const SERVER_SORTS = ['occurredOn', 'createdAt', 'person', 'facility', 'categories', 'summary', 'status'] as const;
type ServerSort = (typeof SERVER_SORTS)[number];
/** Every filter field, in the list's order. */
const LIST_FIELDS = ['facilityId', 'category', 'personId', 'status', 'from', 'to', 'counselPresent', 'documentSigned'] as const;
const STATUS_TONE: Record<string, 'blue' | 'teal' | 'gray'> = { new: 'blue', verified: 'teal', excluded: 'gray' };


/** Counts up to this many: every real list is counted exactly. */
const EXACT_COUNT = 10_000_000;

/** The sort in force, in words: "newest first" for dates, "A to Z" for names and text. */
export function sortDirectionWords(column: string, desc: boolean): string {
  if (column === 'occurredOn' || column === 'createdAt') return desc ? 'newest first' : 'oldest first';
  return desc ? 'Z to A' : 'A to Z';
}

export function IncidentsPage() {
  const nav = useNav();
  const [filters, setFilters] = useUiState<IncidentFilters>('incidents.filters', NO_FILTERS);
  const [sort, setSort] = useUiState<Sort | null>('incidents.sort', { id: 'occurredOn', desc: true });
  const [text] = useDebouncedValue(filters.text.trim(), 250);
  const set = (change: Partial<IncidentFilters>) => setFilters((f) => ({ ...f, ...change }));

  const common = {
    ...filterInput(filters),
    deleted: filters.deleted ? ('only' as const) : ('hide' as const),
  };
  const serverSortId = sort && (SERVER_SORTS as readonly string[]).includes(sort.id) ? (sort.id as ServerSort) : 'occurredOn';
  // The list counts every match exactly (one count over an index); a search counts up to 500.
  const request = text
    ? { kind: 'search' as const, ...common, text }
    : {
        kind: 'list' as const,
        ...common,
        countUpTo: EXACT_COUNT,
        sort: serverSortId,
        direction: sort?.desc === false ? ('asc' as const) : ('desc' as const),
      };
  const list = usePaged<IncidentRow>(JSON.stringify(request), (offset, limit) => {
    const { kind, ...input } = request;
    return kind === 'search'
      ? call('incidents:search', { ...(input as typeof input & { text: string }), offset, limit })
      : call('incidents:list', { ...input, offset, limit });
  });
  const allLoaded = list.rows.length >= list.total && list.totalExact && !list.loading;

  const columns = useMemo<Column<IncidentRow>[]>(
    () => [
      { id: 'occurredOn', header: 'When', width: 118, value: (i) => i.occurredOn, render: formatWhen },
      {
        id: 'person',
        header: 'Person',
        width: 170,
        value: (i) => i.personName,
        render: (i) => (
          <>
            {i.personName} <Dim>{i.filingCode}</Dim>
          </>
        ),
      },
      { id: 'facility', header: 'Facility', width: 140, value: (i) => i.facilityName },
      {
        id: 'categories',
        header: 'Categories',
        width: 170,
        value: (i) => i.categories.map(categoryLabel).join(', '),
        render: (i) => <Tags labels={i.categories.map(categoryLabel)} testId="category-tags" />,
      },
      { id: 'summary', header: 'Summary', width: 180, grow: true, value: (i) => i.summary, bidi: true },
      {
        id: 'status',
        header: 'Status',
        width: 96,
        value: (i) => INCIDENT_STATUS_LABELS[i.status],
        render: (i) => <Tag tone={STATUS_TONE[i.status] ?? 'gray'}>{INCIDENT_STATUS_LABELS[i.status]}</Tag>,
      },
      {
        id: 'createdAt',
        header: 'Entered',
        width: 136,
        value: (i) => i.createdAt,
        render: (i) => <Dim>{formatDateTime(i.createdAt)}</Dim>,
      },
    ],
    [],
  );
  const searching = Boolean(text);
  // The database sorts the list by any column; search results come newest entered first, and with
  // every one loaded the table sorts them itself.
  const shownColumns = columns.map((c) => ({ ...c, sortable: !searching || allLoaded }));
  const sortColumn = columns.find((c) => c.id === (sort?.id ?? 'occurredOn'));
  const sortLabel = searching && !allLoaded
    ? 'newest entered first'
    : `sorted by ${sortColumn?.header ?? 'When'}, ${sortDirectionWords(sortColumn?.id ?? 'occurredOn', sort?.desc !== false)}`;
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const count = `${list.total.toLocaleString('en-US')}${list.totalExact ? '' : '+'} ${list.total === 1 ? 'incident' : 'incidents'}`;

  return (
    <Stack gap="md">
      <PageHeader
        title="Incidents"
        description="Everything reported, across people and facilities. Search the summaries and own words in any language."
        actions={
          <Button onClick={() => nav.go({ page: 'interview' })} data-testid="start-interview">
            New interview
          </Button>
        }
      />
      <Stack gap="sm" data-testid="incident-filters">
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Words from the summary or the person's own words — English, Arabic…"
            style={{ flex: 1 }}
            {...BIDI}
            value={filters.text}
            onChange={(e) => set({ text: e.currentTarget.value })}
            data-testid="incident-search"
          />
          <Switch label="Deleted only" mb={8} checked={filters.deleted} onChange={(e) => set({ deleted: e.currentTarget.checked })} />
          <Button variant="subtle" color="gray" disabled={!filtered} onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </Button>
        </Group>
        <FilterFields fields={LIST_FIELDS} filters={filters} set={set} />
      </Stack>
      <ErrorNote message={list.error} title="Could not search" />
      <Text size="sm" c="dimmed" data-testid="incident-count">
        {count}
        {searching ? ` containing “${text}”` : filtered ? ' match' : ''}, <span data-testid="incident-sort">{sortLabel}</span>
      </Text>
      <div data-testid="incident-list">
        <DataTable
          label="Incidents"
          rows={list.rows}
          columns={shownColumns}
          rowKey={(i) => i.id}
          sort={searching && !allLoaded ? null : sort}
          onSortChange={setSort}
          serverSort={!searching || !allLoaded}
          total={list.available}
          onEndReached={list.loadMore}
          loading={list.loading}
          onRowClick={(i) => nav.go({ page: 'incident', id: i.id })}
          rowTestId={(i) => `incident-row-${i.id}`}
          muted={(i) => Boolean(i.deletedAt)}
          height="fill"
          empty={filtered ? 'No incident matches.' : 'No incidents yet. Start an interview to record some.'}
        />
      </div>
    </Stack>
  );
}
