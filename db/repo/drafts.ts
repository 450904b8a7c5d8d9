import type { Db } from '../driver';
import { stmt } from '../stmt';

import type { Draft } from '../../shared/schemas';

// Drafts are scratch copies of unsaved forms, not records: they are overwritten in place and not
// versioned. Saving the record is what writes history.

type Row = { key: string; kind: Draft['kind']; data: string; savedAt: string; savedBy: string | null };
const decode = (r: Row): Draft => ({ ...r, data: JSON.parse(r.data) as unknown });
const SELECT = `SELECT key, kind, data, saved_at AS savedAt, saved_by AS savedBy FROM drafts`;

export function saveDraft(db: Db, d: { key: string; kind: Draft['kind']; data: unknown }, at: string, by: string | null): Draft {
  stmt(
    db,
    `INSERT INTO drafts (key, kind, data, saved_at, saved_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, data = excluded.data, saved_at = excluded.saved_at, saved_by = excluded.saved_by`,
  ).run(d.key, d.kind, JSON.stringify(d.data ?? null), at, by);
  return getDraft(db, d.key)!;
}

export function getDraft(db: Db, key: string): Draft | undefined {
  const r = stmt(db, `${SELECT} WHERE key = ?`).get(key) as Row | undefined;
  return r ? decode(r) : undefined;
}

export function listDrafts(db: Db): Draft[] {
  return (stmt(db, `${SELECT} ORDER BY saved_at DESC, key LIMIT 200`).all() as Row[]).map(decode);
}

export function discardDraft(db: Db, key: string): boolean {
  return stmt(db, `DELETE FROM drafts WHERE key = ?`).run(key).changes > 0;
}
