import { useCallback, useSyncExternalStore } from 'react';

// A small store for view state that must outlive the screen showing it (list filters, sort,
// scroll): leaving the incident list and coming back finds it as it was. Kept in memory and mirrored
// to sessionStorage so a reload of the window keeps it too.
const PREFIX = 'attest.ui.';
const values = new Map<string, unknown>();
const listeners = new Map<string, Set<() => void>>();

function read<T>(key: string, initial: T): T {
  if (values.has(key)) return values.get(key) as T;
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    if (raw !== null) {
      const v = JSON.parse(raw) as T;
      values.set(key, v);
      return v;
    }
  } catch {
    // Storage unavailable or corrupt: fall back to the initial value.
  }
  values.set(key, initial);
  return initial;
}

export function setUiState<T>(key: string, value: T): void {
  values.set(key, value);
  try {
    sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Not persisted across reloads; still kept in memory.
  }
  listeners.get(key)?.forEach((l) => l());
}

export function useUiState<T>(key: string, initial: T): [T, (next: T | ((prev: T) => T)) => void] {
  const subscribe = useCallback(
    (l: () => void) => {
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      set.add(l);
      return () => set.delete(l);
    },
    [key],
  );
  const value = useSyncExternalStore(subscribe, () => read(key, initial));
  const update = useCallback(
    (next: T | ((prev: T) => T)) => {
      const prev = read(key, initial);
      setUiState(key, typeof next === 'function' ? (next as (p: T) => T)(prev) : next);
    },
    // `initial` is only the first value; later renders may pass a new literal.
    [key],
  );
  return [value, update];
}
