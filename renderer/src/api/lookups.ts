import { useEffect, useState } from 'react';
import type { Facility } from '../../../shared/schemas';
import { call } from './client';

// Small caches for names shown next to ids (facilities in pickers, people named as witnesses).
let facilitiesCache: Facility[] | null = null;
const facilityListeners = new Set<(f: Facility[]) => void>();

export async function refreshFacilities(): Promise<Facility[]> {
  const r = await call('facilities:list', { limit: 1000, offset: 0 });
  facilitiesCache = r.ok ? r.data.items : (facilitiesCache ?? []);
  facilityListeners.forEach((l) => l(facilitiesCache!));
  return facilitiesCache;
}

export function useFacilities(): Facility[] {
  const [list, setList] = useState<Facility[]>(facilitiesCache ?? []);
  useEffect(() => {
    facilityListeners.add(setList);
    void refreshFacilities();
    return () => {
      facilityListeners.delete(setList);
    };
  }, []);
  return list;
}

export function facilityOptions(list: readonly Facility[]) {
  return list.map((f) => ({ value: f.id, label: `${f.name} (${f.city}, ${f.state})` }));
}

const personNames = new Map<string, string>();

export function rememberPerson(p: { id: string; familyName: string; givenName: string }): void {
  personNames.set(p.id, `${p.familyName}, ${p.givenName}`);
}

/** Names of the people with these ids, fetched once each. */
export function usePersonNames(ids: readonly string[]): (id: string) => string | undefined {
  const [, setTick] = useState(0);
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const missing = key ? key.split(',').filter((id) => !personNames.has(id)) : [];
    if (!missing.length) return;
    let live = true;
    void Promise.all(missing.map((id) => call('people:get', { id }))).then((rs) => {
      for (const r of rs) if (r.ok) rememberPerson(r.data);
      if (live) setTick((t) => t + 1);
    });
    return () => {
      live = false;
    };
  }, [key]);
  return (id) => personNames.get(id);
}
