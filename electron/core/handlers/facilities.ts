import { createFacility, getFacility, listFacilities, setFacilityDeleted, updateFacility } from '../../../db/repo/facilities';
import type { HandlersFor } from './types';
import { crudHandlers } from './crud';

export const facilityHandlers: HandlersFor<'facilities:'> = crudHandlers('facilities', 'facility', {
  create: createFacility,
  update: updateFacility,
  setDeleted: setFacilityDeleted,
  get: getFacility,
  list: listFacilities,
});
