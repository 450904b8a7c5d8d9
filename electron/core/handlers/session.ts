import { discardDraft, getDraft, listDrafts, saveDraft } from '../../../db/repo/drafts';
import { createStaff, getStaff, listStaff } from '../../../db/repo/staff';
import type { HandlersFor } from './types';
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
  'drafts:save': (input, ctx) => saveDraft(ctx.db, input, ctx.now().toISOString(), ctx.user),
  'drafts:get': ({ key }, ctx) => getDraft(ctx.db, key) ?? null,
  'drafts:list': (_input, ctx) => ({ items: listDrafts(ctx.db) }),
  'drafts:discard': ({ key }, ctx) => ({ discarded: discardDraft(ctx.db, key) }),
};
