import { formatANumber } from '../../shared/a-number';
import { getFacility } from '../../db/repo/facilities';
import { createPerson, findPersonByANumber, getPerson, listPeople } from '../../db/repo/people';
import type { HandlersFor } from './types';
import { AppError, writeMeta } from './context';

export const peopleHandlers: HandlersFor<'people:'> = {
  'people:create': (input, ctx) =>
    ctx.db.transaction(() => {
      const existing = findPersonByANumber(ctx.db, input.aNumber);
      if (existing) {
        throw new AppError(
          'CONFLICT',
          `aNumber: ${formatANumber(input.aNumber)} already belongs to ${existing.familyName}, ${existing.givenName}`,
          [{ path: ['aNumber'], message: `already recorded for ${existing.familyName}, ${existing.givenName}` }],
        );
      }
      if (input.currentFacilityId && !getFacility(ctx.db, input.currentFacilityId)) {
        throw new AppError('INVALID_INPUT', 'currentFacilityId: no such facility', [
          { path: ['currentFacilityId'], message: 'no such facility' },
        ]);
      }
      return createPerson(
        ctx.db,
        {
          familyName: input.familyName,
          givenName: input.givenName,
          nameOriginal: input.nameOriginal,
          aNumber: input.aNumber,
          birthDate: input.birthDate ?? null,
          nationality: input.nationality,
          currentFacilityId: input.currentFacilityId ?? null,
        },
        writeMeta(ctx),
      );
    })(),
  'people:list': (input, ctx) => listPeople(ctx.db, input),
  'people:get': ({ id }, ctx) => {
    const p = getPerson(ctx.db, id);
    if (!p) throw new AppError('NOT_FOUND', `no person with id ${id}`, [{ path: ['id'], message: 'not found' }]);
    return p;
  },
};
