// An edit in progress, kept in the database as the user types (drafts:save), so a crash or a closed
// window loses nothing; the record's page offers it back when next opened.
import { useDebouncedCallback } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import type { Draft } from '../../../shared/schemas';
import { call } from '../api';

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

/**
 * The kept edit of a record (null when none), and what keeps it: while `editing`, each change of
 * `values` away from `base` (the values the edit started from) is saved shortly after.
 */
export function useEditDraft<T>(key: string, kind: Draft['kind'], opts: { editing: boolean; values: T; base: string; baseVersion: number }) {
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
  const json = JSON.stringify(opts.values);
  const { editing, values, base, baseVersion } = opts;
  useEffect(() => {
    // `values` is followed through its JSON: a new object with the same values keeps nothing new.
    if (editing && json !== base) keep({ v: 1, baseVersion, values });
  }, [editing, json, base, baseVersion, keep]);
  /** Drops the kept edit (saved, cancelled or declined). */
  const discard = useCallback(async () => {
    keep.cancel();
    setKept(null);
    await call('drafts:discard', { key });
  }, [key, keep]);
  return { kept, discard };
}
