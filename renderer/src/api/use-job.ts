// One long job started from a page (an export, a backup…): its pushed progress events and its
// cancel. The page names the job (jobId) when it starts it, so events of other jobs are ignored.
import { useEffect, useRef, useState } from 'react';
import type { JobEvent } from '../../../shared/jobs';
import { call, onProgress } from './client';

export interface JobHandle {
  /** The latest event of the current job; undefined before the first. */
  event: JobEvent | undefined;
  /** A fresh jobId to pass to the channel; forgets the previous job's events. */
  start: () => string;
  /** Asks the core to cancel the job; it answers false once the job writes. */
  cancel: () => Promise<void>;
}

export function useJob(): JobHandle {
  const [event, setEvent] = useState<JobEvent>();
  const current = useRef<string>(undefined);
  useEffect(() => onProgress((e) => (e.jobId === current.current ? setEvent(e) : undefined)), []);
  return {
    event,
    start: () => {
      current.current = `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      setEvent(undefined);
      return current.current;
    },
    cancel: async () => {
      if (current.current) await call('jobs:cancel', { jobId: current.current });
    },
  };
}
