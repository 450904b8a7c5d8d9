import { Badge, Group, Stack, Table, Text, Timeline } from '@mantine/core';
import type { ReactNode } from 'react';
import { diffWordsWithSpace } from 'diff';
import { formatDateTime } from './format';

type VersionAction = 'create' | 'update' | 'delete' | 'restore';

/** One version as the history channels return it, with the fields it changed. */
export interface VersionEntry {
  version: number;
  action: VersionAction;
  at: string;
  by: string | null;
  reason: string | null;
  changes: readonly { field: string; before: unknown; after: unknown }[];
  /** The laptop that wrote it (this one, or another whose versions came in a bundle). */
  device?: { id: string; name: string | null; local: boolean } | undefined;
  ref?: string | undefined;
  parents?: readonly string[] | null | undefined;
}

/** Bookkeeping fields every version changes; the version header already says it. */
const HIDDEN = new Set(['id', 'version', 'createdAt', 'updatedAt', 'deletedAt']);

export interface HistoryViewerProps {
  versions: readonly VersionEntry[];
  /** Human label of a field path ("summary", "consent.date"). */
  label: (field: string) => string;
  /** Human rendering of a field's value. */
  format: (field: string, value: unknown) => string;
  /** Field order for the change tables. */
  order?: readonly string[];
}

const ACTION: Record<VersionAction, { label: string; color: string }> = {
  create: { label: 'Created', color: 'teal' },
  update: { label: 'Edited', color: 'indigo' },
  delete: { label: 'Deleted', color: 'red' },
  restore: { label: 'Restored', color: 'grape' },
};

function orderOf(order: readonly string[], field: string): number {
  const i = order.indexOf(field.split('.')[0]!);
  return i === -1 ? order.length : i;
}

/** Every version of a record, newest first: who, when, why, and each field's old and new value. */
export function HistoryViewer({ versions, label, format, order = [] }: HistoryViewerProps) {
  // Oldest first as given (two laptops' heads may share a number); shown newest first.
  const entries = [...versions]
    .reverse()
    .sort((a, b) => b.version - a.version)
    .map((v) => ({
      v,
      action: v.action,
      changes: v.changes
        .filter((c) => !HIDDEN.has(c.field) && !(v.action === 'create' && isEmpty(c.after)))
        .sort((a, b) => orderOf(order, a.field) - orderOf(order, b.field)),
    }));
  return (
    <Timeline active={entries.length} bulletSize={14} lineWidth={2} data-testid="history">
      {entries.map(({ v, action, changes }) => (
        <Timeline.Item
          key={v.ref ?? v.version}
          data-testid={v.device && !v.device.local ? `history-version-${v.version}-other` : `history-version-${v.version}`}
          title={
            <Group gap="xs">
              <Text fw={600} size="sm">
                Version {v.version}
              </Text>
              <Badge size="sm" variant="light" color={ACTION[action].color}>
                {ACTION[action].label}
              </Badge>
            </Group>
          }
        >
          <Stack gap={6} mt={4}>
            <Text size="xs" c="dimmed">
              {v.by ?? 'Unknown user'} · {formatDateTime(v.at)}
              {v.device && !v.device.local ? ` · on ${v.device.name ?? `another laptop (${v.device.id.slice(0, 8)})`}` : ''}
              {v.parents && v.parents.length > 1 ? ` · resolves ${v.parents.length} versions edited on different laptops` : ''}
            </Text>
            {v.reason && (
              <Text size="sm" fs="italic" dir="auto" className="history-reason">
                Reason: {v.reason}
              </Text>
            )}
            {action === 'delete' || action === 'restore' ? null : changes.length === 0 ? (
              <Text size="xs" c="dimmed">
                No field changed.
              </Text>
            ) : action === 'create' ? (
              <ValueTable rows={changes.map((c) => [label(c.field), <Val key="a" text={format(c.field, c.after)} />])} head={['Field', 'Value']} />
            ) : (
              <ValueTable
                head={['Field', 'Before', 'After']}
                rows={changes.map((c) => {
                  const before = format(c.field, c.before);
                  const after = format(c.field, c.after);
                  // Long text shows what changed word by word, the rest of it kept plain.
                  if (isLongText(before, after)) {
                    const parts = wordChanges(before, after);
                    return [label(c.field), <WordDiff key="b" parts={parts} side="before" />, <WordDiff key="a" parts={parts} side="after" />];
                  }
                  return [label(c.field), <Val key="b" text={before} old />, <Val key="a" text={after} />];
                })}
              />
            )}
          </Stack>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

function Val({ text, old }: { text: string; old?: boolean }) {
  if (!text)
    return (
      <Text span size="sm" c="dimmed">
        (empty)
      </Text>
    );
  return (
    <Text span size="sm" dir="auto" td={old ? 'line-through' : undefined} c={old ? 'red.8' : 'teal.9'} style={{ whiteSpace: 'pre-wrap' }}>
      {text}
    </Text>
  );
}

/** Long enough that a whole-field before/after hides what changed. */
export function isLongText(before: string, after: string): boolean {
  return Boolean(before && after) && (before.length > 40 || after.length > 40);
}

export interface WordPart {
  text: string;
  added?: boolean;
  removed?: boolean;
}

/** The words removed and added between two texts, with what stayed between them. */
export function wordChanges(before: string, after: string): WordPart[] {
  return diffWordsWithSpace(before, after).map((c) => ({ text: c.value, ...(c.added ? { added: true } : {}), ...(c.removed ? { removed: true } : {}) }));
}

function WordDiff({ parts, side }: { parts: WordPart[]; side: 'before' | 'after' }) {
  return (
    <Text span size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }} data-testid={`word-diff-${side}`}>
      {parts.map((p, i) =>
        side === 'before' && p.added ? null : side === 'after' && p.removed ? null : p.removed ? (
          <del key={i} className="history-removed">
            {p.text}
          </del>
        ) : p.added ? (
          <ins key={i} className="history-added">
            {p.text}
          </ins>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </Text>
  );
}

function ValueTable({ head, rows }: { head: string[]; rows: ReactNode[][] }) {
  return (
    <Table withTableBorder withColumnBorders verticalSpacing={4} fz="sm" layout="fixed">
      <Table.Thead>
        <Table.Tr>
          {head.map((h, i) => (
            <Table.Th key={h} w={i === 0 ? 180 : undefined}>
              {h}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r, i) => (
          <Table.Tr key={i}>
            {r.map((cell, j) => (
              <Table.Td key={j} style={{ verticalAlign: 'top', wordBreak: 'break-word' }}>
                {cell}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}
