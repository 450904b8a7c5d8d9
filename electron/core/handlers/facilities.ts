import { createFacility, getFacility, listFacilities, setFacilityDeleted, updateFacility } from '../../../db/repo/facilities';
import type { HandlersFor } from './types';
import { writeMeta } from './context';
import { historyOf, notFound } from './history';

export const facilityHandlers: HandlersFor<'facilities:'> = {
  'facilities:create': (input, ctx) => ctx.db.transaction(() => createFacility(ctx.db, input, writeMeta(ctx))).immediate(),
  'facilities:list': (input, ctx) => listFacilities(ctx.db, input),
  'facilities:get': ({ id }, ctx) => {
    const f = getFacility(ctx.db, id, { includeDeleted: true });
    if (!f) throw notFound('facility', id);
    return f;
  },
  'facilities:update': ({ id, expectedVersion, reason, ...fields }, ctx) =>
    ctx.db.transaction(() => updateFacility(ctx.db, id, expectedVersion, fields, writeMeta(ctx, reason))).immediate(),
  'facilities:delete': ({ id, expectedVersion, reason }, ctx) =>
    ctx.db.transaction(() => setFacilityDeleted(ctx.db, id, expectedVersion, true, writeMeta(ctx, reason))).immediate(),
  'facilities:restore': ({ id, expectedVersion, reason }, ctx) =>
    ctx.db.transaction(() => setFacilityDeleted(ctx.db, id, expectedVersion, false, writeMeta(ctx, reason))).immediate(),
  'facilities:history': ({ id }, ctx) => historyOf(ctx, 'facility', 'facility', id),
};
