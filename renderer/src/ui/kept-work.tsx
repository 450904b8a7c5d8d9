// "Unsaved work" in the header: every draft kept in the database (an interview under way, an edit
// of an incident or a person, a report definition), so work left by a crash or a closed window is
// found again from anywhere, not only by reopening the right record.
import { Button, Menu, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Draft } from '../../../shared/schemas';
import { call } from '../api/client';
import { useNav, type Route } from './nav';
import { formatDateTime } from './format';

/** Where a draft is picked up again, and how it is named in the list; null for a key not known here. */
export function draftPlace(d: Pick<Draft, 'key' | 'data'>): { route: Route; label: string } | null {
  const [prefix, id] = d.key.split('.', 2) as [string, string | undefined];
  const values = ((d.data as { values?: Record<string, unknown> } | null)?.values ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const excerpt = (s: string) => (s.length > 48 ? `${s.slice(0, 47)}…` : s);
  if (d.key === 'report-builder') return { route: { page: 'reports' }, label: 'Report definition' };
  if (prefix === 'interview') return { route: id && id !== 'new' ? { page: 'interview', interviewId: id } : { page: 'interview' }, label: 'Interview under way' };
  if (prefix === 'incident' && id) {
    const summary = text(values.summary);
    return { route: { page: 'incident', id }, label: summary ? `Incident edit: ${excerpt(summary)}` : 'Incident edit' };
  }
  if (prefix === 'person' && id) {
    const name = [text(values.familyName), text(values.givenName)].filter(Boolean).join(', ');
    return { route: { page: 'person', id }, label: name ? `Person edit: ${name}` : 'Person edit' };
  }
  return null;
}

export function KeptWork() {
  const { route, go } = useNav();
  const [drafts, setDrafts] = useState<Draft[]>([]);
  // Checked on every change of page (a draft is made or dropped on some other page).
  useEffect(() => {
    let live = true;
    void call('drafts:list', {}).then((r) => {
      if (live && r.ok) setDrafts(r.data.items);
    });
    return () => {
      live = false;
    };
  }, [route]);
  const places = drafts.flatMap((d) => {
    const p = draftPlace(d);
    return p ? [{ ...p, key: d.key, savedAt: d.savedAt }] : [];
  });
  if (!places.length) return null;
  return (
    <Menu position="bottom-end" width={360}>
      <Menu.Target>
        <Button variant="light" color="yellow" size="compact-sm" data-testid="kept-work">
          Unsaved work ({places.length})
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Kept as drafts: pick one up where it was left</Menu.Label>
        {places.map((p) => (
          <Menu.Item key={p.key} onClick={() => go(p.route)}>
            <Text size="sm" dir="auto">
              {p.label}
            </Text>
            <Text size="xs" c="dimmed">
              kept {formatDateTime(p.savedAt)}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
