// People, facilities and staff entered on two laptops (merged the same way: what refers to the one
// merged away moves to the one kept, undoable), and filing codes given twice (new codes for the
// people whose code never appeared in an export).
import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { formatANumber } from '../../../../shared/a-number';
import type { ChannelOutput, Result } from '../../../../shared/contract';
import { call } from '../../api/client';
import { useList } from '../../api/use-list';
import { Empty, ErrorNote, Section } from '../../ui/components';
import { ReasonModal } from '../../ui/reason-modal';
import { announceSyncChange, SYNC_CHANGED } from './conflict-badge';
import { clashLine, movedLine } from './sync-logic';

/** Reloads a list whenever a bundle is read or a merge is made elsewhere on the page. */
function useReloadOnSync(reload: () => Promise<void>) {
  useEffect(() => {
    const again = () => void reload();
    window.addEventListener(SYNC_CHANGED, again);
    return () => window.removeEventListener(SYNC_CHANGED, again);
  }, [reload]);
}

/** One record of a group as its table row shows it. */
interface Row {
  id: string;
  /** In the sentences about a merge: "Haddad, Mohammed". */
  name: string;
  /** The Keep radio's name: the name and what tells the two apart ("Haddad, Mohammed (A111-222-333)"). */
  label: string;
  /** The cells after Keep, under `columns`. */
  cells: ReactNode[];
}
interface Group {
  rows: Row[];
  /** Above the table: what the records have in common. */
  heading?: string;
}
/** A merge or its undo as the page words it: what moved, by kind. */
interface Moved {
  mergeId: string;
  moved: Record<string, number>;
}
type Merge = Moved & { fromName: string; intoName: string };

interface Kind {
  /** After the section's test ids ("sync-duplicates" + it, "duplicate-group" + it, …). */
  testIds: string;
  title: string;
  intro: string;
  none: string;
  columns: readonly string[];
  button: string;
  /** What moves, in the merge sentence ("its people and incidents") and in the undo one ("people and incidents"). */
  its: string;
  refs: readonly string[];
  merge: (from: string, into: string, reason: string) => Promise<Result<Moved>>;
  unmerge: (mergeId: string, reason: string) => Promise<Result<Moved>>;
}

const mapped = <T, U>(r: Result<T>, f: (t: T) => U): Result<U> => (r.ok ? { ok: true, data: f(r.data) } : r);
const peopleMoved = (d: ChannelOutput<'people:merge'>): Moved => ({ mergeId: d.mergeId, moved: { interviews: d.movedInterviews, incidents: d.movedIncidents } });

const PEOPLE: Kind = {
  testIds: '',
  title: 'Possible duplicate people',
  intro: 'The same person entered on two laptops is kept twice, not refused. Merging moves their interviews and incidents to the person you keep (a new version of each, with your reason) and can be undone.',
  none: 'No two people share an A-number or a similar name.',
  columns: ['Name', 'A-number', 'Code', 'Interviews', 'Incidents'],
  button: 'Merge people',
  its: 'their',
  refs: ['interviews', 'incidents'],
  merge: async (from, into, reason) => mapped(await call('people:merge', { from, into, reason }), peopleMoved),
  unmerge: async (mergeId, reason) => mapped(await call('people:unmerge', { mergeId, reason }), peopleMoved),
};

const RECORDS = {
  facility: {
    prefix: 'facilities',
    title: 'Possible duplicate facilities',
    intro: 'The same facility entered on two laptops (same name, city and state, up to case and accents). Merging moves its people and incidents to the facility you keep (a new version of each, with your reason) and can be undone.',
    none: 'No two facilities share a name in the same city and state.',
    detail: 'City, state',
    button: 'Merge facilities',
    refs: ['people', 'incidents'],
  },
  staff: {
    prefix: 'staff',
    title: 'Possible duplicate staff',
    intro: 'The same staff member entered on two laptops (same name, up to case and accents). Merging makes the interviews that name them as interviewer name the one you keep (a new version of each, with your reason) and can be undone.',
    none: 'No two staff members share a name.',
    detail: 'Role',
    button: 'Merge staff',
    refs: ['interviews'],
  },
} as const;

/** People who look like one entered twice (the same A-number, or similar names). */
export function DuplicatePeople() {
  const list = useList('people:duplicates', {});
  const groups = list.data?.map((g) => ({
    heading: g.matchedOn === 'aNumber' ? 'Same A-number' : 'Similar names',
    rows: g.people.map((p) => {
      const name = `${p.familyName}, ${p.givenName}`;
      return { id: p.id, name, label: `${name} (${formatANumber(p.aNumber)})`, cells: [name, formatANumber(p.aNumber), p.filingCode ?? '—', p.interviews, p.incidents] };
    }),
  }));
  return <Duplicates kind={PEOPLE} groups={groups} error={list.error} reload={list.reload} />;
}

/** Facilities or staff members that look like one entered twice (the same folded name; facilities: and city, state). */
export function DuplicateRecords({ kind }: { kind: keyof typeof RECORDS }) {
  const k = RECORDS[kind];
  const list = useList(`${k.prefix}:duplicates`, {});
  const groups = list.data?.map((g) => ({
    rows: g.records.map((r) => {
      const name = r.detail ? `${r.name} (${r.detail})` : r.name;
      return { id: r.id, name, label: name, cells: [r.name, r.detail || '—', ...k.refs.map((ref) => r.references[ref] ?? 0)] };
    }),
  }));
  const shown: Kind = {
    ...k,
    testIds: `-${kind}`,
    columns: ['Name', k.detail, ...k.refs.map((r) => r[0]!.toUpperCase() + r.slice(1))],
    its: 'its',
    merge: (from, into, reason) => call(`${k.prefix}:merge`, { from, into, reason }),
    unmerge: (mergeId, reason) => call(`${k.prefix}:unmerge`, { mergeId, reason }),
  };
  return <Duplicates kind={shown} groups={groups} error={list.error} reload={list.reload} />;
}

function Duplicates({ kind: k, groups, error, reload }: { kind: Kind; groups: Group[] | undefined; error: string | undefined; reload: () => Promise<void> }) {
  useReloadOnSync(reload);
  /** The record each group keeps, by group index; the first listed until changed. */
  const [keep, setKeep] = useState<Record<number, string>>({});
  const [merging, setMerging] = useState<{ from: string; into: string }>();
  const [done, setDone] = useState<Merge[]>([]);
  const [undoing, setUndoing] = useState<Merge>();
  const [notice, setNotice] = useState<string>();
  const rowOf = (id: string) => groups?.flatMap((g) => g.rows).find((r) => r.id === id);
  const nameOf = (id: string) => rowOf(id)?.name ?? id;
  const moves = k.refs.join(' and ');
  return (
    <Section title={k.title} testId={`sync-duplicates${k.testIds}`}>
      <Text size="sm" c="dimmed">
        {k.intro}
      </Text>
      {notice && (
        <Alert color="green" role="status" data-testid={`merge-note${k.testIds}`}>
          {notice}
        </Alert>
      )}
      {done.map((m) => (
        <Group key={m.mergeId} gap="xs" data-testid={`merge-done${k.testIds}`}>
          <Text size="sm">
            Merged {m.fromName} into {m.intoName}: {movedLine(m.moved)}.
          </Text>
          <Button size="compact-xs" variant="default" onClick={() => setUndoing(m)}>
            Undo
          </Button>
        </Group>
      ))}
      {error ? (
        <ErrorNote title="Could not look for duplicates" message={error} />
      ) : groups && groups.length === 0 ? (
        <Empty>{k.none}</Empty>
      ) : (
        groups?.map((g, gi) => {
          const into = keep[gi] ?? g.rows[0]!.id;
          return (
            <Stack key={g.rows.map((r) => r.id).join(':')} gap={4} data-testid={`duplicate-group${k.testIds}`}>
              {g.heading && (
                <Text size="sm" fw={600}>
                  {g.heading}
                </Text>
              )}
              <Table withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={70}>Keep</Table.Th>
                    {k.columns.map((c) => (
                      <Table.Th key={c}>{c}</Table.Th>
                    ))}
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {g.rows.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>
                        <input type="radio" name={`keep${k.testIds}-${gi}`} aria-label={`Keep ${r.label}`} checked={into === r.id} onChange={() => setKeep({ ...keep, [gi]: r.id })} />
                      </Table.Td>
                      {r.cells.map((c, ci) => (
                        <Table.Td key={k.columns[ci]} dir="auto">
                          {c}
                        </Table.Td>
                      ))}
                      <Table.Td>
                        {r.id !== into && (
                          <Button size="xs" variant="light" onClick={() => setMerging({ from: r.id, into })} aria-label={`${k.button}: ${r.label} into ${rowOf(into)?.label ?? into}`}>
                            {k.button}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          );
        })
      )}
      <ReasonModal
        opened={merging !== undefined}
        onClose={() => setMerging(undefined)}
        title={k.button}
        message={merging ? `${nameOf(merging.from)} is merged into ${nameOf(merging.into)}: ${k.its} ${moves} move, and ${nameOf(merging.from)} is marked deleted. You can undo it.` : ''}
        confirmLabel={k.button}
        reasonRequired
        onConfirm={async (reason) => {
          if (!merging) return undefined;
          const fromName = nameOf(merging.from);
          const intoName = nameOf(merging.into);
          const r = await k.merge(merging.from, merging.into, reason);
          if (!r.ok) return r.error.issues[0]?.message ?? r.error.message;
          setDone((d) => [{ ...r.data, fromName, intoName }, ...d]);
          setNotice(undefined);
          announceSyncChange();
          return undefined;
        }}
      />
      <ReasonModal
        opened={undoing !== undefined}
        onClose={() => setUndoing(undefined)}
        title="Undo the merge"
        message={undoing ? `${undoing.fromName} comes back, with the ${moves} that were moved to ${undoing.intoName}.` : ''}
        confirmLabel="Undo the merge"
        reasonRequired
        onConfirm={async (reason) => {
          if (!undoing) return undefined;
          const r = await k.unmerge(undoing.mergeId, reason);
          if (!r.ok) return r.error.issues[0]?.message ?? r.error.message;
          setDone((d) => d.filter((m) => m.mergeId !== undoing.mergeId));
          setNotice(`Merge undone: ${undoing.fromName} is back (${movedLine(r.data.moved)}).`);
          announceSyncChange();
          return undefined;
        }}
      />
    </Section>
  );
}

/** Filing codes held by two people: who keeps the code, who gets a new one, and the resolution. */
export function CodeClashes() {
  const list = useList('sync:code-clashes', {});
  useReloadOnSync(list.reload);
  const [resolving, setResolving] = useState<ChannelOutput<'sync:code-clashes'>[number]>();
  const [notice, setNotice] = useState<string>();
  if (!list.error && list.data && list.data.length === 0 && !notice) return null;
  return (
    <Section title={`Filing codes given twice${list.data ? ` (${list.data.length})` : ''}`} testId="sync-code-clashes">
      <Text size="sm" c="dimmed">
        Two laptops that had not synced gave one filing code to two people. A code that appeared in an export never changes; the others get
        the next free code (a new version of the person, with your reason).
      </Text>
      {notice && (
        <Alert color="green" role="status" data-testid="code-clash-note">
          {notice}
        </Alert>
      )}
      {list.error && <ErrorNote title="Could not list filing codes given twice" message={list.error} />}
      {list.data?.map((c) => (
        <Stack key={c.code} gap={4} data-testid="code-clash">
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{c.code}</Table.Th>
                <Table.Th>Entered</Table.Th>
                <Table.Th>In an export</Table.Th>
                <Table.Th>On resolving</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.people.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td dir="auto">
                    {p.familyName}, {p.givenName}
                  </Table.Td>
                  <Table.Td>{p.createdAt.slice(0, 10)}</Table.Td>
                  <Table.Td>{p.exported ? 'yes' : 'no'}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={p.keeps ? 'gray' : 'orange'}>
                      {p.keeps ? `keeps ${c.code}` : 'gets a new code'}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group>
            <Button size="xs" variant="light" onClick={() => setResolving(c)} aria-label={`Resolve ${c.code}`}>
              {c.people.some((p) => !p.keeps) ? 'Give new codes…' : 'Record that both keep it…'}
            </Button>
          </Group>
        </Stack>
      ))}
      <ReasonModal
        opened={resolving !== undefined}
        onClose={() => setResolving(undefined)}
        title={`Filing code ${resolving?.code ?? ''}`}
        message={resolving ? clashLine(resolving) : ''}
        confirmLabel="Resolve"
        reasonRequired
        onConfirm={async (reason) => {
          if (!resolving) return undefined;
          const r = await call('sync:resolve-code-clash', { code: resolving.code, reason });
          if (!r.ok) return r.error.issues[0]?.message ?? r.error.message;
          const names = new Map(resolving.people.map((p) => [p.id, `${p.familyName}, ${p.givenName}`]));
          setNotice(
            [
              ...r.data.renumbered.map((x) => `${names.get(x.id) ?? x.id} is now ${x.to} (was ${x.from}).`),
              r.data.keptByAll ? `${r.data.kept.length} people appeared in exports under ${r.data.code} and keep it; that is recorded with your reason.` : '',
            ]
              .filter(Boolean)
              .join(' '),
          );
          announceSyncChange();
          return undefined;
        }}
      />
    </Section>
  );
}
