// An edit in progress, kept in the database as the user types (drafts:save), so a crash or a closed
// window loses nothing; the record's page offers it back when next opened.
import { Button, Group, Paper, Text } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import type { Draft } from '../../../shared/schemas';
import { call } from '../api/client';
import { formatDateTime } from './format';

/** What is kept: the form's values and the version of the record they were edited from. */
export interface EditDraft<T> {
  v: 1;
  baseVersion: number;
  values: T;
}

function asEditDraft<T>(d: Draft | null): (EditDraft<T> & { savedAt: string }) | null {
  const data = d?.data as Partial<EditDraft<T>> | undefined;
  if (!d || !data || data.v !== 1 || typeof data.baseVersion !== 'number' || typeof data.values !== 'object' || data.values === null) return null;
  return { v: 1, baseVersion: data.baseVersion, values: data.values as T, savedAt: d.savedAt };
}

/** Where an edit started: the record's values, as JSON, and the version they came from. */
export interface EditStart {
  json: string;
  version: number;
}

/**
 * The kept edit of a record (null when none), and what keeps it: while editing (`from` is set),
 * each change of `values` away from where the edit started is saved shortly after.
 */
export function useEditDraft<T>(key: string, kind: Draft['kind'], values: T, from: EditStart | null) {
  const [kept, setKept] = useState<(EditDraft<T> & { savedAt: string }) | null>(null);
  useEffect(() => {
    void call('drafts:get', { key }).then((r) => setKept(r.ok ? asEditDraft<T>(r.data) : null));
  }, [key]);
  const keep = useDebouncedCallback(
    (data: EditDraft<T>) => {
      void call('drafts:save', { key, kind, data });
    },
    { delay: 400, flushOnUnmount: true },
  );
  const json = JSON.stringify(values);
  useEffect(() => {
    // `values` is followed through its JSON: a new object with the same values keeps nothing new.
    if (from && json !== from.json) keep({ v: 1, baseVersion: from.version, values });
  }, [from, json, keep]);
  /** Drops the kept edit (saved, cancelled or declined). */
  const discard = useCallback(async () => {
    keep.cancel();
    setKept(null);
    await call('drafts:discard', { key });
  }, [key, keep]);
  return { kept, discard };
}

/** The offer of a kept edit on the record's page: continue it or discard it. */
export function KeptEditNotice(props: {
  noun: string;
  kept: { baseVersion: number; savedAt: string };
  version: number;
  onContinue: () => void;
  onDiscard: () => void;
}) {
  const { noun, kept, version } = props;
  return (
    <Paper withBorder p="sm" bg="yellow.0" radius="md" data-testid="kept-edit">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">
          Unsaved changes to this {noun} were kept ({formatDateTime(kept.savedAt)}).
          {kept.baseVersion !== version &&
            ` They were made to version ${kept.baseVersion}; it has changed since (now version ${version}), and saving them replaces those changes. The history keeps both.`}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Button variant="default" onClick={props.onDiscard}>
            Discard them
          </Button>
          <Button onClick={props.onContinue}>Continue editing</Button>
        </Group>
      </Group>
    </Paper>
  );
}
