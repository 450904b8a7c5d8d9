// Facilities and staff entered on two laptops (merged like people: what refers to the one merged
// away moves to the one kept, undoable), and filing codes given twice (new codes for the people
// whose code never appeared in an export).
import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import { call } from '../../api/client';
import { useList } from '../../api/use-list';
import { Empty, ErrorNote, Section } from '../../ui/components';
import { ReasonModal } from '../../ui/reason-modal';
import { announceSyncChange, SYNC_CHANGED } from './conflict-badge';
import { clashLine, movedLine } from './sync-logic';

const KINDS = {
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

type Kind = keyof typeof KINDS;
type Merge = ChannelOutput<'facilities:merge'> & { fromName: string; intoName: string };

/** Reloads a list whenever a bundle is read or a merge is made elsewhere on the page. */
function useReloadOnSync(reload: () => Promise<void>) {
  useEffect(() => {
    const again = () => void reload();
    window.addEventListener(SYNC_CHANGED, again);
    return () => window.removeEventListener(SYNC_CHANGED, again);
  }, [reload]);
}

export function DuplicateRecords({ kind }: { kind: Kind }) {
  const k = KINDS[kind];
  const list = useList(`${k.prefix}:duplicates`, {});
  useReloadOnSync(list.reload);
  const [keep, setKeep] = useState<Record<number, string>>({});
  const [merging, setMerging] = useState<{ from: string; into: string }>();
  const [done, setDone] = useState<Merge[]>([]);
  const [undoing, setUndoing] = useState<Merge>();
  const [notice, setNotice] = useState<string>();
  const groups = list.data ?? [];
  const nameOf = (id: string) => {
    for (const g of groups) for (const r of g.records) if (r.id === id) return r.detail ? `${r.name} (${r.detail})` : r.name;
    return id;
  };
  return (
    <Section title={k.title} testId={`sync-duplicates-${kind}`}>
      <Text size="sm" c="dimmed">
        {k.intro}
      </Text>
      {notice && (
        <Alert color="green" role="status" data-testid={`merge-note-${kind}`}>
          {notice}
        </Alert>
      )}
      {done.map((m) => (
        <Group key={m.mergeId} gap="xs" data-testid={`merge-done-${kind}`}>
          <Text size="sm">
            Merged {m.fromName} into {m.intoName}: {movedLine(m.moved)}.
          </Text>
          <Button size="compact-xs" variant="default" onClick={() => setUndoing(m)}>
            Undo
          </Button>
        </Group>
      ))}
      {list.error ? (
        <ErrorNote title="Could not look for duplicates" message={list.error} />
      ) : list.data && groups.length === 0 ? (
        <Empty>{k.none}</Empty>
      ) : (
        groups.map((g, gi) => {
          const into = keep[gi] ?? g.records[0]!.id;
          return (
            <Table key={g.records.map((r) => r.id).join(':')} withTableBorder data-testid={`duplicate-group-${kind}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={70}>Keep</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>{k.detail}</Table.Th>
                  {k.refs.map((r) => (
                    <Table.Th key={r}>{r[0]!.toUpperCase() + r.slice(1)}</Table.Th>
                  ))}
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {g.records.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <input type="radio" name={`keep-${kind}-${gi}`} aria-label={`Keep ${nameOf(r.id)}`} checked={into === r.id} onChange={() => setKeep({ ...keep, [gi]: r.id })} />
                    </Table.Td>
                    <Table.Td dir="auto">{r.name}</Table.Td>
                    <Table.Td dir="auto">{r.detail || '—'}</Table.Td>
                    {k.refs.map((ref) => (
                      <Table.Td key={ref}>{r.references[ref] ?? 0}</Table.Td>
                    ))}
                    <Table.Td>
                      {r.id !== into && (
                        <Button size="xs" variant="light" onClick={() => setMerging({ from: r.id, into })} aria-label={`${k.button}: ${nameOf(r.id)} into ${nameOf(into)}`}>
                          {k.button}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          );
        })
      )}
      <ReasonModal
        opened={merging !== undefined}
        onClose={() => setMerging(undefined)}
        title={k.button}
        message={merging ? `${nameOf(merging.from)} is merged into ${nameOf(merging.into)}: its ${k.refs.join(' and ')} move, and ${nameOf(merging.from)} is marked deleted. You can undo it.` : ''}
        confirmLabel={k.button}
        reasonRequired
        onConfirm={async (reason) => {
          if (!merging) return undefined;
          const fromName = nameOf(merging.from);
          const intoName = nameOf(merging.into);
          const r = await call(`${k.prefix}:merge`, { from: merging.from, into: merging.into, reason });
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
        message={undoing ? `${undoing.fromName} comes back, with the ${k.refs.join(' and ')} that were moved to ${undoing.intoName}.` : ''}
        confirmLabel="Undo the merge"
        reasonRequired
        onConfirm={async (reason) => {
          if (!undoing) return undefined;
          const r = await call(`${k.prefix}:unmerge`, { mergeId: undoing.mergeId, reason });
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
