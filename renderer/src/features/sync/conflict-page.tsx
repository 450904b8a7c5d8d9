// One conflict: the record's heads side by side, the fields they disagree on marked, who wrote each,
// on which laptop and when. The user takes one head, or combines them field by field, and gives a
// reason; the resolution is a new version naming every head as its parent, and the heads stay in
// the history.
import { Alert, Badge, Button, Group, Loader, Radio, Stack, Table, Text, Textarea } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { ChannelOutput, Result } from '../../../../shared/contract';
import type { ConflictDetail, SYNC_ENTITIES } from '../../../../shared/contract/sync';
import { call } from '../../api/client';
import { useFacilities, usePersonNames } from '../../api/lookups';
import { ErrorNote, PageHeader, Section } from '../../ui/components';
import { formatDateTime } from '../../ui/format';
import { HistoryDrawer } from '../../ui/history-drawer';
import type { VersionEntry } from '../../ui/history-viewer';
import { fieldLabel, formatField } from '../../ui/labels';
import { useNav } from '../../ui/nav';
import { BIDI } from '../../ui/text';
import { announceSyncChange } from './conflict-badge';
import { chooseAll, compareRows, deviceLabel, entityNoun, fieldsOf, mixesDeleted, resolution, startingHead, type Choices } from './sync-logic';

type Entity = (typeof SYNC_ENTITIES)[number];

/** The history channel of the kinds of record that have one on their own page. */
function historyOf(entity: Entity, id: string): (() => Promise<Result<{ versions: VersionEntry[] }>>) | undefined {
  switch (entity) {
    case 'incident':
      return () => call('incidents:history', { id });
    case 'person':
      return () => call('people:history', { id });
    case 'interview':
      return () => call('interviews:history', { id });
    case 'facility':
      return () => call('facilities:history', { id });
    default:
      return undefined;
  }
}

const HEAD_LETTERS = 'ABCDEFGH';

export function ConflictPage({ entity, id }: { entity: Entity; id: string }) {
  const nav = useNav();
  const [detail, setDetail] = useState<ConflictDetail>();
  const [error, setError] = useState<string>();
  const [choices, setChoices] = useState<Choices>({});
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [resolved, setResolved] = useState<ChannelOutput<'sync:resolve'>>();
  const [historyOpen, setHistoryOpen] = useState(false);
  const facilities = useFacilities();

  useEffect(() => {
    void call('sync:conflict', { entity, id }).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setDetail(r.data);
      // Until the user chooses, every field is as the record shows it now.
      setChoices(chooseAll(r.data, startingHead(r.data)));
    });
  }, [entity, id]);

  const personIds = useMemo(() => {
    const ids = new Set<string>();
    for (const h of detail?.heads ?? []) for (const [k, v] of Object.entries(h.data)) if (k === 'personId' && typeof v === 'string') ids.add(v);
    return [...ids];
  }, [detail]);
  const names = usePersonNames(personIds);
  const fields = fieldsOf(entity);
  const label = fieldLabel(fields);
  const fmt = formatField((x) => names(x) ?? facilities.find((f) => f.id === x)?.name);
  const history = historyOf(entity, id);

  if (error) return <ErrorNote title="Could not open the conflict" message={error} />;
  if (!detail) return <Loader size="sm" />;

  const rows = compareRows(detail);
  // Fields no head fills say nothing about the conflict; they are counted, not listed.
  const shown = rows.filter((r) => r.differs || detail.heads.some((h) => !h.deleted && !isBlank(h.data[r.field])));
  const plan = resolution(detail, choices);
  const mixed = mixesDeleted(detail, choices);
  const noun = entityNoun(entity);

  const resolve = async () => {
    if (!reason.trim()) {
      setReasonError('Please give a reason: it is kept in the history with the resolution.');
      return;
    }
    if (plan.kind === 'incomplete' || mixed) return;
    setBusy(true);
    const r = await call(
      'sync:resolve',
      plan.kind === 'pick' ? { entity, id, pick: plan.pick, reason: reason.trim() } : { entity, id, fields: plan.fields, reason: reason.trim() },
    );
    setBusy(false);
    if (!r.ok) {
      setReasonError(r.error.issues[0] ? `${label(String(r.error.issues[0].path[0] ?? ''))}: ${r.error.issues[0].message}` : r.error.message);
      return;
    }
    setReasonError(undefined);
    setResolved(r.data);
    announceSyncChange();
  };

  return (
    <Stack>
      <PageHeader
        crumbs={[{ label: 'Sync', onClick: () => nav.go({ page: 'sync', focus: 'conflicts' }) }]}
        title={`${noun} in conflict: ${detail.label}`}
        description={`Edited on ${detail.heads.length} laptops from the same version. Take one version as it is, or choose field by field; both stay in the history.`}
        badge={
          resolved ? (
            <Badge color="teal" variant="light">
              resolved
            </Badge>
          ) : (
            <Badge color="orange" variant="light">
              {detail.heads.length} heads
            </Badge>
          )
        }
      />
      <Section title="The versions side by side" testId="conflict-heads">
        <Table withTableBorder withColumnBorders layout="fixed" verticalSpacing={6} data-testid="conflict-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={170}>Field</Table.Th>
              {detail.heads.map((h, i) => (
                <Table.Th key={`${h.ref.device}:${h.ref.seq}`} data-testid={`head-${i}`} style={{ verticalAlign: 'top' }}>
                  <Stack gap={2}>
                    <Group gap={6}>
                      <Text fw={700} size="sm">
                        Version {HEAD_LETTERS[i]} · {deviceLabel(h.device)}
                      </Text>
                      {h.deleted && (
                        <Badge size="xs" color="red">
                          deletes it
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed" fw={400}>
                      {h.by ?? 'Unknown user'} · {formatDateTime(h.at)} · version {h.version}
                    </Text>
                    {h.reason && (
                      <Text size="xs" fs="italic" fw={400} dir="auto">
                        Reason: {h.reason}
                      </Text>
                    )}
                    {!resolved && (
                      <Button size="compact-xs" variant="light" w="fit-content" onClick={() => setChoices(chooseAll(detail, i))}>
                        Take version {HEAD_LETTERS[i]}
                      </Button>
                    )}
                  </Stack>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((r) => (
              <Table.Tr key={r.field} data-testid={`field-${r.field}`} data-differs={r.differs || undefined}>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <Text size="sm" fw={r.differs ? 700 : 400}>
                    {label(r.field)}
                  </Text>
                  {r.differs && (
                    <Badge size="xs" color="orange" variant="light">
                      differs
                    </Badge>
                  )}
                </Table.Td>
                {detail.heads.map((h, i) => {
                  const chosen = r.differs && choices[r.field] === i;
                  const text = h.deleted ? '' : fmt(r.field, h.data[r.field]);
                  return (
                    <Table.Td
                      key={i}
                      style={{ verticalAlign: 'top', wordBreak: 'break-word' }}
                      {...(r.differs ? { bg: chosen ? 'teal.0' : 'yellow.0' } : {})}
                    >
                      {r.differs && !resolved ? (
                        <Radio
                          size="xs"
                          name={`pick-${r.field}`}
                          checked={chosen}
                          onChange={() => setChoices({ ...choices, [r.field]: i })}
                          aria-label={`${label(r.field)} from version ${HEAD_LETTERS[i]}`}
                          label={<Value text={text} deleted={h.deleted} />}
                        />
                      ) : (
                        <Value text={text} deleted={h.deleted} />
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {rows.length > shown.length && (
          <Text size="xs" c="dimmed">
            {rows.length - shown.length} fields empty in every version are not listed.
          </Text>
        )}
      </Section>
      <Section title="Resolve" testId="conflict-resolve">
        {resolved ? (
          <Stack gap="xs">
            <Alert color="teal" role="status" data-testid="conflict-resolved">
              Resolved: version {resolved.version} of this {noun.toLowerCase()}, written on this laptop, names {resolved.parents.length} versions as its parents. Both stay
              in the history.
            </Alert>
            <Group>
              {history && (
                <Button variant="default" onClick={() => setHistoryOpen(true)}>
                  Show the history
                </Button>
              )}
              <Button variant="light" onClick={() => nav.go({ page: 'sync', focus: 'conflicts' })}>
                Back to the conflicts
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="sm">
            <Text size="sm" data-testid="resolution-plan">
              {plan.kind === 'pick'
                ? `Version ${HEAD_LETTERS[plan.head]} stands as it is${detail.heads[plan.head]!.deleted ? ' (the record stays deleted)' : ''}.`
                : plan.kind === 'data'
                  ? `A combined version: ${rows
                      .filter((r) => r.differs)
                      .map((r) => `${label(r.field)} from ${HEAD_LETTERS[choices[r.field]!]}`)
                      .join(', ')}.`
                  : `Choose a value for: ${plan.missing.map(label).join(', ')}.`}
            </Text>
            {mixed && <Alert color="orange">A version that deletes the record can only be taken whole: take it, or choose every field from the others.</Alert>}
            <Textarea
              label="Reason"
              description="Required, kept in the history with the resolution"
              {...BIDI}
              autosize
              minRows={2}
              maxLength={500}
              value={reason}
              onChange={(e) => {
                setReason(e.currentTarget.value);
                setReasonError(undefined);
              }}
              error={reasonError}
            />
            <Group>
              <Button onClick={() => void resolve()} loading={busy} disabled={plan.kind === 'incomplete' || mixed}>
                Resolve the conflict
              </Button>
            </Group>
          </Stack>
        )}
      </Section>
      {history && (
        <HistoryDrawer
          opened={historyOpen}
          onClose={() => setHistoryOpen(false)}
          title={`${noun} history`}
          load={history}
          label={label}
          format={fmt}
          order={Object.keys(fields)}
        />
      )}
    </Stack>
  );
}

function isBlank(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

function Value({ text, deleted }: { text: string; deleted: boolean }) {
  if (deleted)
    return (
      <Text span size="sm" c="red.8" fs="italic">
        (deleted)
      </Text>
    );
  if (!text)
    return (
      <Text span size="sm" c="dimmed">
        (empty)
      </Text>
    );
  return (
    <Text span size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
      {text}
    </Text>
  );
}
