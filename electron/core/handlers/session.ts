import { discardDraft, getDraft, listDrafts, saveDraft } from '../../../db/repo/drafts';
import { createStaff, getStaff, listStaff } from '../../../db/repo/staff';
import type { HandlersFor } from './types';
import type { Db } from '../../../db/driver';
import { writeSetting } from '../../../db/history/chained';
import { DEFAULT_IDLE_LOCK, IdleLockSettings } from '../../../shared/safety';
import { writeMeta } from './context';
import { notFound } from './history';

/** staff:duplicates, staff:merge and staff:unmerge are in sync.ts (merging what laptops entered twice). */
export const sessionHandlers: Omit<HandlersFor<'staff:' | 'session:' | 'drafts:'>, 'staff:duplicates' | 'staff:merge' | 'staff:unmerge'> = {
  'staff:list': (_input, ctx) => listStaff(ctx.db),
  'staff:create': (input, ctx) => createStaff(ctx.db, input, writeMeta(ctx)),
  'session:set-user': ({ staffId }, ctx) => {
    const s = getStaff(ctx.db, staffId);
    if (!s) throw notFound('staff member', staffId, ['staffId']);
    // History records the name as it reads today; the id is kept for the session.
    ctx.user = s.name;
    ctx.staffId = s.id;
    return { staffId: s.id, name: s.name };
  },
  'session:get-user': (_input, ctx) => ({ staffId: ctx.staffId ?? null, name: ctx.user }),
  'session:idle-lock': (_input, ctx) => readIdleLock(ctx.db),
  'session:configure-idle-lock': (input, ctx) => {
    writeSetting(ctx.db, 'idle-lock', JSON.stringify(input), writeMeta(ctx));
    return readIdleLock(ctx.db);
  },
  'drafts:save': (input, ctx) => saveDraft(ctx.db, input, ctx.now().toISOString(), ctx.user),
  'drafts:get': ({ key }, ctx) => getDraft(ctx.db, key) ?? null,
  'drafts:list': (_input, ctx) => ({ items: listDrafts(ctx.db) }),
  'drafts:discard': ({ key }, ctx) => ({ discarded: discardDraft(ctx.db, key) }),
};

/** The idle lock as stored in the settings (key 'idle-lock'), or the default (15 minutes). */
function readIdleLock(db: Db): IdleLockSettings {
  const row = db.prepare(`SELECT value FROM settings WHERE key = 'idle-lock'`).pluck().get() as string | undefined;
  if (!row) return { ...DEFAULT_IDLE_LOCK };
  const parsed = IdleLockSettings.safeParse(JSON.parse(row));
  return parsed.success ? parsed.data : { ...DEFAULT_IDLE_LOCK };
}
