import type { HandlersFor } from './types';

export const jobHandlers: HandlersFor<'jobs:'> = {
  'jobs:cancel': ({ jobId }, ctx) => ctx.jobs.cancel(jobId),
};
