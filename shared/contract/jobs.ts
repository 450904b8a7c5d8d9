// Long jobs: export, full verify, backup, restore and passphrase change push progress events and
// may be cancelled while they only read. Cancelling writes nothing, so it is not a write channel.
import { JobsCancelInput, JobsCancelOutput } from '../jobs';

export const jobChannels = {
  'jobs:cancel': {
    summary: 'Cancel a running long job by its jobId, when it is only reading (never halfway through a write)',
    input: JobsCancelInput,
    output: JobsCancelOutput,
  },
} as const;
