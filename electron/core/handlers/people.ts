import { normalizeANumber } from '../../../shared/a-number';
import { getFacility } from '../../../db/repo/facilities';
import { personTimeline } from '../../../db/repo/incidents';
import {
  createPerson,
  findPersonByANumber,
  findSimilarPeople,
  getPerson,
  listPeople,
  setPersonDeleted,
  updatePerson,
  type PersonRecord,
} from '../../../db/repo/people';
import type { HandlersFor } from './types';
import type { Context } from './context';
import { crudHandlers } from './crud';
import { futureDateIssues, notFound, refuseIssues } from './history';

function checkPerson(ctx: Context, p: { currentFacilityId: string | null; birthDate: string | null; detainedSince: string | null; consentDate: string | null }): void {
  const issues = futureDateIssues(ctx, { birthDate: p.birthDate, detainedSince: p.detainedSince, consentDate: p.consentDate });
  if (p.currentFacilityId && !getFacility(ctx.db, p.currentFacilityId)) issues.push({ path: ['currentFacilityId'], message: 'no such facility' });
  refuseIssues(issues);
}

const summary = (p: PersonRecord, matchedOn: 'aNumber' | 'name' | 'nameOriginal') => ({
  id: p.id,
  familyName: p.familyName,
  givenName: p.givenName,
  nameOriginal: p.nameOriginal,
  aNumber: p.aNumber,
  filingCode: p.filingCode,
  matchedOn,
});

/** people:duplicates, people:merge and people:unmerge are in sync.ts (merging what laptops entered twice). */
export const peopleHandlers: Omit<HandlersFor<'people:'>, 'people:duplicates' | 'people:merge' | 'people:unmerge'> = {
  ...crudHandlers(
    'people',
    'person',
    { create: createPerson, update: updatePerson, setDeleted: setPersonDeleted, get: getPerson, list: listPeople },
    checkPerson,
  ),
  'people:similar': (input, ctx) => {
    let aNumberTaken = null;
    if (input.aNumber) {
      const n = normalizeANumber(input.aNumber);
      const holder = n.ok ? findPersonByANumber(ctx.db, n.value) : undefined;
      if (holder && holder.id !== input.excludeId) aNumberTaken = summary(holder, 'aNumber');
    }
    const similar = findSimilarPeople(ctx.db, input)
      .filter((m) => m.person.id !== aNumberTaken?.id)
      .map((m) => summary(m.person, m.matchedOn));
    return { aNumberTaken, similar };
  },
  'people:timeline': ({ personId }, ctx) => {
    if (!getPerson(ctx.db, personId, { includeDeleted: true })) throw notFound('person', personId, ['personId']);
    return { personId, items: personTimeline(ctx.db, personId) };
  },
};
