// The dashboard, the first page after unlock: the pattern before an exhibit is built. Every bar and
// every count that stands for incidents opens the incident list filtered the same way.
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Alert, Button, Collapse, Group, Loader, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { DashboardOutput } from '../../../../shared/contract/dashboard';
import { CATEGORIES } from '../../../../shared/vocab';
import { call } from '../../api/client';
import { ErrorNote, PageHeader } from '../../ui/components';
import { useNav } from '../../ui/nav';
import { setUiState, useUiState } from '../../ui/ui-state';
import { FilterFields, type IncidentFilters } from '../incidents/incident-filters';
import {
  NO_DASHBOARD_FILTERS,
  OTHER_KEY,
  PALETTE,
  listFiltersFor,
  percent,
  periodWords,
  summaryInput,
  timeSeries,
  type DashboardFilters,
} from './dashboard-logic';

/** Shown at once; the rest behind More filters. */
const FIRST_FIELDS = ['facilityId', 'category', 'from', 'to'] as const;
const MORE_FIELDS = ['personId', 'status', 'counselPresent', 'documentSigned'] as const;
const n = (x: number) => x.toLocaleString('en-US');

export function DashboardPage() {
  const nav = useNav();
  const [filters, setFilters] = useUiState<DashboardFilters>('dashboard.filters', NO_DASHBOARD_FILTERS);
  const [more, setMore] = useState(false);
  const set = (change: Partial<DashboardFilters>) => setFilters((f) => ({ ...f, ...change }));
  const input = summaryInput(filters);
  const key = JSON.stringify(input);
  const [data, setData] = useState<DashboardOutput>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    let live = true;
    setLoading(true);
    void call('dashboard:summary', JSON.parse(key) as typeof input).then((r) => {
      if (!live) return;
      setLoading(false);
      if (r.ok) {
        setData(r.data);
        setError(undefined);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
    // `key` is the input, as JSON.
  }, [key]);

  /** Opens the incident list with the dashboard's filters, narrowed to what was clicked. */
  const openList = (narrow: Partial<IncidentFilters>, byEntry = false) => {
    setUiState('incidents.filters', listFiltersFor(filters, narrow));
    setUiState('incidents.sort', byEntry ? { id: 'createdAt', desc: true } : { id: 'occurredOn', desc: true });
    nav.go({ page: 'incidents' });
  };
  const filtered = JSON.stringify({ ...filters, bucket: 'month' }) !== JSON.stringify(NO_DASHBOARD_FILTERS);
  const moreCount = [filters.personId, filters.status, filters.counselPresent !== 'any', filters.documentSigned !== 'any'].filter(Boolean).length;

  return (
    <Stack gap="md" data-testid="dashboard">
      <PageHeader
        title="Dashboard"
        description="The pattern at a glance, with the incident list's filters. Click any bar or count to see those incidents."
        actions={
          <Button variant="default" onClick={() => openList({})}>
            Open these incidents
          </Button>
        }
      />
      <Stack gap="xs" data-testid="dashboard-filters">
        <FilterFields fields={FIRST_FIELDS} filters={filters} set={set} />
        <Collapse expanded={more}>
          <FilterFields fields={MORE_FIELDS} filters={filters} set={set} />
        </Collapse>
        <Group gap="xs">
          <Button variant="subtle" size="compact-sm" onClick={() => setMore((m) => !m)} aria-expanded={more}>
            {more ? 'Fewer filters' : `More filters${moreCount ? ` (${moreCount} set)` : ''}`}
          </Button>
          <Button variant="subtle" color="gray" size="compact-sm" disabled={!filtered} onClick={() => setFilters({ ...NO_DASHBOARD_FILTERS, bucket: filters.bucket })}>
            Clear filters
          </Button>
          {loading && <Loader size="xs" aria-label="Counting" />}
        </Group>
      </Stack>
      <ErrorNote message={error} title="Could not count" />
      {data && <Numbers data={data} filters={filters} setBucket={(b) => set({ bucket: b })} openList={openList} filtered={filtered} />}
    </Stack>
  );
}

function Numbers({
  data,
  filters,
  setBucket,
  openList,
  filtered,
}: {
  data: DashboardOutput;
  filters: DashboardFilters;
  setBucket: (b: 'week' | 'month') => void;
  openList: (narrow: Partial<IncidentFilters>, byEntry?: boolean) => void;
  filtered: boolean;
}) {
  const nav = useNav();
  const time = useMemo(() => timeSeries(data), [data]);
  const counsel = data.counselPresent;
  const signed = data.documentSigned;
  const sinceWords = new Date(`${data.newThisWeek.since}T00:00:00Z`).toLocaleDateString('en-US', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 3, lg: 6 }} spacing="sm">
        <Stat label="Incidents" value={n(data.total)} note={filtered ? 'matching the filters' : 'in the database'} testId="stat-total" onClick={() => openList({})} />
        <Stat label="New this week" value={n(data.newThisWeek.n)} note={`entered since ${sinceWords}`} testId="stat-new" onClick={() => openList({ from: '', to: '' }, true)} />
        <Stat
          label="Counsel present"
          value={percent(counsel.yes, counsel.answered)}
          note={`${n(counsel.yes)} of ${n(counsel.answered)} answered`}
          testId="stat-counsel"
          onClick={() => openList({ counselPresent: 'yes' })}
        />
        <Stat
          label="Document signed"
          value={percent(signed.yes, signed.answered)}
          note={`${n(signed.yes)} of ${n(signed.answered)} pressed`}
          testId="stat-signed"
          onClick={() => openList({ documentSigned: 'yes' })}
        />
        <Stat
          label="Open conflicts"
          value={n(data.openConflicts)}
          note={data.openConflicts ? 'edited on two laptops' : 'none to resolve'}
          tone={data.openConflicts ? 'warn' : undefined}
          testId="stat-conflicts"
          {...(data.openConflicts ? { onClick: () => nav.go({ page: 'sync', focus: 'conflicts' }) } : {})}
        />
        <Stat
          label="Out-of-date drafts"
          value={n(data.outOfDateDrafts)}
          note={data.outOfDateDrafts ? 'record changed since; see Unsaved work' : 'none'}
          tone={data.outOfDateDrafts ? 'warn' : undefined}
          testId="stat-drafts"
        />
      </SimpleGrid>

      {data.total === 0 ? (
        <Alert variant="light" color="gray" title={filtered ? 'No incident matches these filters' : 'No incidents yet'} data-testid="dashboard-empty">
          {filtered ? 'Clear a filter or widen the period to see the pattern.' : 'Start an interview to record what a client reports; the charts fill in as incidents are logged.'}
          {!filtered && (
            <Group mt="sm">
              <Button size="xs" onClick={() => nav.go({ page: 'interview' })}>
                New interview
              </Button>
            </Group>
          )}
        </Alert>
      ) : (
        <>
          <Card
            title={`Incidents by ${data.bucket}, by category`}
            note="An incident with two categories counts in both; one spanning two periods, in each."
            testId="chart-time"
            right={
              <SegmentedControl
                size="xs"
                value={filters.bucket}
                onChange={(v) => setBucket(v as 'week' | 'month')}
                data={[
                  { value: 'month', label: 'By month' },
                  { value: 'week', label: 'By week' },
                ]}
                aria-label="Bars by"
              />
            }
          >
            <BarChart
              h={300}
              data={time.rows}
              dataKey="period"
              type="stacked"
              textColor="gray.7"
              series={time.series}
              withLegend
              legendProps={{ verticalAlign: 'bottom', height: 56 }}
              tickLine="y"
              gridAxis="y"
              yAxisLabel="Incidents"
              maxBarWidth={48}
              valueFormatter={n}
              xAxisProps={{ interval: 'preserveStartEnd', minTickGap: 12 }}
              tooltipProps={{ labelFormatter: (_l: unknown, p: readonly { payload?: Record<string, string | number> }[]) => tooltipTitle(p) }}
              barProps={(s) => ({
                cursor: 'pointer',
                stroke: '#fff',
                strokeWidth: 0.5,
                onClick: (bar: { payload?: Record<string, string | number> }) => {
                  const row = bar.payload;
                  if (!row) return;
                  openList({ from: String(row.from), to: String(row.to), ...(s.name === OTHER_KEY ? {} : { category: s.name }) });
                },
              })}
            />
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Card title="By facility" note="Incidents in each facility" testId="chart-facilities">
              <HorizontalBars
                rows={data.facilities.map((f) => ({ key: f.facilityId, label: f.name, n: f.n }))}
                color={PALETTE[0]!}
                onPick={(id) => openList({ facilityId: id })}
              />
            </Card>
            <Card title="By category" note="Each incident counts once per category" testId="chart-categories">
              <HorizontalBars
                rows={data.categories.map((c) => ({ key: c.category, label: CATEGORIES[c.category].label, n: c.n }))}
                color={PALETTE[2]!}
                onPick={(code) => openList({ category: code })}
              />
            </Card>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

function tooltipTitle(p: readonly { payload?: Record<string, string | number> }[]): string {
  const row = p[0]?.payload;
  if (!row) return '';
  return `${periodWords({ from: String(row.from), to: String(row.to) })} — ${n(Number(row.incidents))} incidents`;
}

function HorizontalBars({ rows, color, onPick }: { rows: { key: string; label: string; n: number }[]; color: string; onPick: (key: string) => void }) {
  const shown = rows.slice(0, 12);
  return (
    <>
      <BarChart
        h={Math.max(120, 34 * shown.length + 40)}
        data={shown}
        dataKey="label"
        orientation="vertical"
        textColor="gray.7"
        series={[{ name: 'n', label: 'Incidents', color }]}
        gridAxis="x"
        tickLine="x"
        withBarValueLabel
        valueFormatter={n}
        maxBarWidth={22}
        yAxisProps={{ width: 190, interval: 0 }}
        barProps={{
          cursor: 'pointer',
          onClick: (bar: { payload?: { key?: string } }) => {
            if (bar.payload?.key) onPick(bar.payload.key);
          },
        }}
      />
      {rows.length > shown.length && (
        <Text size="xs" c="dimmed" mt={4}>
          The 12 largest of {rows.length}.
        </Text>
      )}
    </>
  );
}

function Card({ title, note, right, children, testId }: { title: string; note?: string; right?: ReactNode; children: ReactNode; testId: string }) {
  return (
    <Paper withBorder p="md" radius="sm" data-testid={testId}>
      <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap" gap="xs">
        <div>
          <Title order={2} fz="md">
            {title}
          </Title>
          {note && (
            <Text size="xs" c="gray.7">
              {note}
            </Text>
          )}
        </div>
        {right}
      </Group>
      {children}
    </Paper>
  );
}

function Stat({ label, value, note, onClick, tone, testId }: { label: string; value: string; note: string; onClick?: () => void; tone?: 'warn' | undefined; testId: string }) {
  const body = (
    <Paper withBorder p="sm" radius="sm" h="100%" bg={tone === 'warn' ? 'orange.0' : 'white'} style={tone === 'warn' ? { borderColor: 'var(--mantine-color-orange-6)' } : undefined}>
      <Text size="xs" fw={700} tt="uppercase" lts={0.3} c="gray.7">
        {label}
      </Text>
      <Text fz={26} fw={700} lh={1.2} c={tone === 'warn' ? 'orange.9' : 'dark.7'} data-testid={`${testId}-value`}>
        {value}
      </Text>
      <Text size="xs" c="gray.7">
        {note}
      </Text>
    </Paper>
  );
  if (!onClick) return <div data-testid={testId}>{body}</div>;
  return (
    // Named by what it shows (its label, number and note, read in that order) and what it does.
    <UnstyledButton onClick={onClick} data-testid={testId} style={{ display: 'block', height: '100%' }}>
      {body}
      <VisuallyHidden>Open these incidents</VisuallyHidden>
    </UnstyledButton>
  );
}
