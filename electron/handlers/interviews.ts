import { getPerson } from '../../db/repo/people';
import { createInterview, getInterview, listInterviews, setInterviewDeleted, updateInterview } from '../../db/repo/interviews';
import type { HandlersFor } from './types';
import { writeMeta, type Context } from './context';
import { historyOf, notFound, refuseIssues } from './history';

function checkPerson(ctx: Context, personId: string): void {
  if (!getPerson(ctx.db, personId)) refuseIssues([{ path: ['personId'], message: 'no such person' }]);
}

export const interviewHandlers: HandlersFor<'interviews:'> = {
  'interviews:create': (input, ctx) =>
    ctx.db.transaction(() => {
      checkPerson(ctx, input.personId);
      return createInterview(ctx.db, input, writeMeta(ctx));
    })(),
  'interviews:list': (input, ctx) => listInterviews(ctx.db, input),
  'interviews:get': ({ id }, ctx) => {
    const v = getInterview(ctx.db, id, { includeDeleted: true });
    if (!v) throw notFound('interview', id);
    return v;
  },
  'interviews:update': ({ id, expectedVersion, reason, ...fields }, ctx) =>
    ctx.db.transaction(() => {
      checkPerson(ctx, fields.personId);
      return updateInterview(ctx.db, id, expectedVersion, fields, writeMeta(ctx, reason));
    })(),
  'interviews:delete': ({ id, expectedVersion, reason }, ctx) =>
    ctx.db.transaction(() => setInterviewDeleted(ctx.db, id, expectedVersion, true, writeMeta(ctx, reason)))(),
  'interviews:restore': ({ id, expectedVersion, reason }, ctx) =>
    ctx.db.transaction(() => setInterviewDeleted(ctx.db, id, expectedVersion, false, writeMeta(ctx, reason)))(),
  'interviews:history': ({ id }, ctx) => historyOf(ctx, 'interview', 'interview', id),
};
