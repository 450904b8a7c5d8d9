import { getPerson } from '../../../db/repo/people';
import { createInterview, getInterview, listInterviews, setInterviewDeleted, updateInterview } from '../../../db/repo/interviews';
import type { HandlersFor } from './types';
import type { Context } from './context';
import { crudHandlers } from './crud';
import { futureDateIssues, refuseIssues } from './history';

function checkInterview(ctx: Context, v: { personId: string; declarationSignedOn: string | null }): void {
  const issues = futureDateIssues(ctx, { declarationSignedOn: v.declarationSignedOn });
  if (!getPerson(ctx.db, v.personId)) issues.push({ path: ['personId'], message: 'no such person' });
  refuseIssues(issues);
}

export const interviewHandlers: HandlersFor<'interviews:'> = crudHandlers(
  'interviews',
  'interview',
  { create: createInterview, update: updateInterview, setDeleted: setInterviewDeleted, get: getInterview, list: listInterviews },
  checkInterview,
);
