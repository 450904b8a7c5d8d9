// Long jobs (export, full verify, backup, restore, rekey) report progress as events pushed to the
// renderer, and can be cancelled while they are only reading. The caller may name a job (jobId) to
// follow or cancel it; a job started without one gets an id from the core.
import { z } from 'zod';

export const JobId = z.string().min(1).max(64, 'must be at most 64 characters');

export const JOB_STATES = ['running', 'done', 'failed', 'cancelled'] as const;

export const JobEvent = z.object({
  jobId: JobId,
  /** The channel that started the job, e.g. 'reports:export'. */
  channel: z.string(),
  step: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  state: z.enum(JOB_STATES),
  /** Whether jobs:cancel would stop it now (false once it writes). */
  cancellable: z.boolean(),
});
export type JobEvent = z.infer<typeof JobEvent>;

export const JobsCancelInput = z.object({ jobId: JobId });
export const JobsCancelOutput = z.object({
  cancelled: z.boolean(),
  /** Why not, when not: no such running job, or it is writing already. */
  reason: z.string().nullable(),
});
