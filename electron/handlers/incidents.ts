import { getFacility } from '../../db/repo/facilities';
import { createIncident, getIncident, listIncidents } from '../../db/repo/incidents';
import { getPerson } from '../../db/repo/people';
import type { HandlersFor } from './types';
import { AppError, writeMeta } from './context';

export const incidentHandlers: HandlersFor<'incidents:'> = {
  'incidents:create': (input, ctx) =>
    ctx.db.transaction(() => {
      const issues = [];
      if (!getPerson(ctx.db, input.personId)) issues.push({ path: ['personId'], message: 'no such person' });
      if (!getFacility(ctx.db, input.facilityId)) issues.push({ path: ['facilityId'], message: 'no such facility' });
      if (issues.length) {
        throw new AppError('INVALID_INPUT', issues.map((i) => `${i.path[0]}: ${i.message}`).join('; '), issues);
      }
      return createIncident(ctx.db, input, writeMeta(ctx));
    })(),
  'incidents:list': (input, ctx) => listIncidents(ctx.db, input),
  'incidents:get': ({ id }, ctx) => {
    const i = getIncident(ctx.db, id);
    if (!i) throw new AppError('NOT_FOUND', `no incident with id ${id}`, [{ path: ['id'], message: 'not found' }]);
    return i;
  },
};
