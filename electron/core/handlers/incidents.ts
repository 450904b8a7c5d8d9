import { getFacility } from '../../../db/repo/facilities';
import {
  createIncident,
  getIncident,
  listIncidents,
  searchIncidents,
  setIncidentDeleted,
  updateIncident,
} from '../../../db/repo/incidents';
import { getInterview } from '../../../db/repo/interviews';
import { getPerson } from '../../../db/repo/people';
import type { ParsedInput } from '../../../shared/contract';
import { ftsQuery } from '../../../shared/text-fold';
import type { HandlersFor } from './types';
import { writeMeta, type Context } from './context';
import { crudHandlers } from './crud';
import { futureDateIssues, refuseIssues } from './history';

type Refs = Pick<ParsedInput<'incidents:create'>, 'personId' | 'facilityId' | 'interviewId' | 'witnesses' | 'occurredOn' | 'raisedWithOpposingCounselOn'>;

/**
 * The references an incident makes must point at live records. `seen` remembers ids already
 * checked, so a bulk import looks each person and facility up once.
 */
function referenceIssues(ctx: Context, v: Refs, prefix: (string | number)[] = [], seen = new Map<string, boolean>()) {
  const issues: { path: (string | number)[]; message: string }[] = futureDateIssues(
    ctx,
    { occurredOn: v.occurredOn, raisedWithOpposingCounselOn: v.raisedWithOpposingCounselOn },
    prefix,
  );
  const live = (kind: string, id: string, look: () => unknown) => {
    const k = `${kind}:${id}`;
    let ok = seen.get(k);
    if (ok === undefined) {
      ok = Boolean(look());
      seen.set(k, ok);
    }
    return ok;
  };
  if (!live('p', v.personId, () => getPerson(ctx.db, v.personId))) issues.push({ path: [...prefix, 'personId'], message: 'no such person' });
  if (!live('f', v.facilityId, () => getFacility(ctx.db, v.facilityId))) issues.push({ path: [...prefix, 'facilityId'], message: 'no such facility' });
  if (v.interviewId) {
    const interview = getInterview(ctx.db, v.interviewId);
    if (!interview) issues.push({ path: [...prefix, 'interviewId'], message: 'no such interview' });
    else if (interview.personId !== v.personId) issues.push({ path: [...prefix, 'interviewId'], message: 'the interview is with another person' });
  }
  v.witnesses.forEach((w, i) => {
    if (w.personId && !live('p', w.personId, () => getPerson(ctx.db, w.personId!))) {
      issues.push({ path: [...prefix, 'witnesses', i, 'personId'], message: 'no such person' });
    }
  });
  return issues;
}

export const incidentHandlers: HandlersFor<'incidents:'> = {
  ...crudHandlers(
    'incidents',
    'incident',
    { create: createIncident, update: updateIncident, setDeleted: setIncidentDeleted, get: getIncident, list: listIncidents },
    (ctx, fields) => refuseIssues(referenceIssues(ctx, fields)),
  ),
  'incidents:bulk-create': ({ items }, ctx) => {
    const seen = new Map<string, boolean>();
    const issues = items.flatMap((item, i) => referenceIssues(ctx, item, ['items', i], seen));
    refuseIssues(issues.slice(0, 50));
    const meta = writeMeta(ctx);
    const ids = items.map((item) => createIncident(ctx.db, item, meta).id);
    return { ids, count: ids.length };
  },
  'incidents:search': (input, ctx) => {
    if (!ftsQuery(input.text)) refuseIssues([{ path: ['text'], message: 'has no words to search for' }]);
    return searchIncidents(ctx.db, input);
  },
};
