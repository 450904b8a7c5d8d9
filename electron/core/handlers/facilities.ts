import { createFacility, getFacility, listFacilities, setFacilityDeleted, updateFacility } from '../../../db/repo/facilities';
import type { HandlersFor } from './types';
import { crudHandlers } from './crud';

/** facilities:duplicates, facilities:merge and facilities:unmerge are in sync.ts (merging what laptops entered twice). */
export const facilityHandlers: Omit<HandlersFor<'facilities:'>, 'facilities:duplicates' | 'facilities:merge' | 'facilities:unmerge'> = crudHandlers('facilities', 'facility', {
  create: createFacility,
  update: updateFacility,
  setDeleted: setFacilityDeleted,
  get: getFacility,
  list: listFacilities,
});
