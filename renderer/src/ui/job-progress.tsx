// A long job's progress bar and its current step, from its pushed events; with `onCancel`, a Cancel
// button while the job runs, enabled only while the core says it can stop (it has written nothing).
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { JobEvent } from '../../../shared/jobs';

const ENDED: Record<JobEvent['state'], string> = { running: '', done: 'Finished', failed: 'Stopped by an error', cancelled: 'Cancelled' };

export function JobProgress({ event, label, onCancel }: { event: JobEvent; label: string; onCancel?: () => void }) {
  const running = event.state === 'running';
  return (
    <Stack gap={4} data-testid="job-progress">
      <Progress value={(event.done / Math.max(1, event.total)) * 100} animated={running} aria-label={label} />
      <Group justify="space-between" gap="xs">
        <Text size="xs" c="dimmed">
          {running ? `Working: ${event.step}` : ENDED[event.state]}
        </Text>
        {onCancel && running && (
          <Button size="compact-xs" variant="default" onClick={onCancel} disabled={!event.cancellable} title={event.cancellable ? undefined : 'It is writing now and will finish'}>
            Cancel
          </Button>
        )}
      </Group>
    </Stack>
  );
}
