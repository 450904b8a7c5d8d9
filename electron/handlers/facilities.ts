import { createFacility, getFacility, listFacilities } from '../../db/repo/facilities';
import type { HandlersFor } from './types';
import { AppError, writeMeta } from './context';

export const facilityHandlers: HandlersFor<'facilities:'> = {
  'facilities:create': (input, ctx) => ctx.db.transaction(() => createFacility(ctx.db, input, writeMeta(ctx)))(),
  'facilities:list': (input, ctx) => listFacilities(ctx.db, input),
  'facilities:get': ({ id }, ctx) => {
    const f = getFacility(ctx.db, id);
    if (!f) throw new AppError('NOT_FOUND', `no facility with id ${id}`, [{ path: ['id'], message: 'not found' }]);
    return f;
  },
};
