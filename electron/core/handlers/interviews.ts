import { getPerson } from '../../../db/repo/people';
import { createInterview, getInterview, listInterviews, setInterviewDeleted, updateInterview } from '../../../db/repo/interviews';
import type { HandlersFor } from './types';
import { writeMeta, type Context } from './context';
import { futureDateIssues, historyOf, notFound, refuseIssues } from './history';

function checkInterview(ctx: Context, v: { personId: string; declarationSignedOn: string | null }): void {
  const issues = futureDateIssues(ctx, { declarationSignedOn: v.declarationSignedOn });
  if (!getPerson(ctx.db, v.personId)) issues.push({ path: ['personId'], message: 'no such person' });
  refuseIssues(issues);
}

export const interviewHandlers: HandlersFor<'interviews:'> = {
  'interviews:create': (input, ctx) =>
    ctx.db.transaction(() => {
      checkInterview(ctx, input);
      return createInterview(ctx.db, input, writeMeta(ctx));
    }).immediate(),
  'interviews:list': (input, ctx) => listInterviews(ctx.db, input),
  'interviews:get': ({ id }, ctx) => {
    const v = getInterview(ctx.db, id, { includeDeleted: true });
    if (!v) throw notFound('interview', id);
    return v;
  },
  'interviews:update': ({ id, expectedVersion, reason, ...fields }, ctx) =>
    ctx.db.transaction(() => {
      checkInterview(ctx, fields);
      return updateInterview(ctx.db, id, expectedVersion, fields, writeMeta(ctx, reason));
    }).immediate(),
  'interviews:delete': ({ id, expectedVersion, reason }, ctx) =>
    ctx.db.transaction(() => setInterviewDeleted(ctx.db, id, expectedVersion, true, writeMeta(ctx, reason))).immediate(),
  'interviews:restore': ({ id, expectedVersion, reason }, ctx) =>
    ctx.db.transaction(() => setInterviewDeleted(ctx.db, id, expectedVersion, false, writeMeta(ctx, reason))).immediate(),
  'interviews:history': ({ id }, ctx) => historyOf(ctx, 'interview', 'interview', id),
};
