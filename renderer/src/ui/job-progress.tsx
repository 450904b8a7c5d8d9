// A long job's progress bar and its current step, from its pushed events.
import { Progress, Stack, Text } from '@mantine/core';
import type { JobEvent } from '../../../shared/jobs';

const ENDED: Record<JobEvent['state'], string> = { running: '', done: 'Finished', failed: 'Stopped by an error', cancelled: 'Cancelled' };

export function JobProgress({ event, label }: { event: JobEvent; label: string }) {
  const running = event.state === 'running';
  return (
    <Stack gap={4} data-testid="job-progress">
      <Progress value={(event.done / Math.max(1, event.total)) * 100} animated={running} aria-label={label} />
      <Text size="xs" c="dimmed">
        {running ? `Working: ${event.step}` : ENDED[event.state]}
      </Text>
    </Stack>
  );
}
