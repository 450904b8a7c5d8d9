// The header's "N conflicts": records with more than one head (after a bundle came in from another
// laptop), a click away from their list on the Sync page. Filing codes given twice are named apart
// ("1 filing code given twice"), as the Sync page lists them apart: the badge's numbers are the
// page's. Nothing shows while there are none.
import { Badge, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import { useNav } from '../../ui/nav';
import { conflictsLabel } from './sync-logic';

/** Fired after an import, a resolution or a merge, so the badge counts again at once. */
export const SYNC_CHANGED = 'attest-sync-changed';

export function announceSyncChange(): void {
  window.dispatchEvent(new Event(SYNC_CHANGED));
}

export function ConflictBadge() {
  const nav = useNav();
  const [open, setOpen] = useState<{ all: number; codes: number }>();
  useEffect(() => {
    const check = async () => {
      const r = await call('sync:status', {});
      // A database the core cannot read sync status from yet shows no badge rather than an error.
      setOpen(r.ok ? { all: r.data.openConflicts, codes: r.data.codeClashes } : undefined);
    };
    void check();
    const t = setInterval(() => void check(), 30_000);
    const now = () => void check();
    window.addEventListener(SYNC_CHANGED, now);
    return () => {
      clearInterval(t);
      window.removeEventListener(SYNC_CHANGED, now);
    };
  }, []);
  if (!open?.all) return null;
  const tip = [
    ...(open.all > open.codes ? ['Records edited on two laptops: choose what stands, with a reason.'] : []),
    ...(open.codes ? ['A filing code given to two people: one keeps it, the other gets the next free code.'] : []),
  ].join(' ');
  return (
    <Tooltip label={tip} multiline w={280}>
      <Badge
        color="orange"
        variant="filled"
        component="button"
        style={{ cursor: 'pointer' }}
        data-testid="conflict-badge"
        onClick={() => nav.go({ page: 'sync', focus: 'conflicts' })}
      >
        {conflictsLabel(open.all, open.codes)}
      </Badge>
    </Tooltip>
  );
}
