// Backups (list, back up now, restore, the automatic plan) and the passphrase.
import { Alert, Badge, Button, Checkbox, Group, Modal, NumberInput, PasswordInput, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { call } from '../../api/client';
import { useJob } from '../../api/use-job';
import { JobProgress } from '../../ui/job-progress';
import { Empty, Section } from '../../ui/components';
import { useList } from '../../api/use-list';
import { VERIFY_AGAIN } from './verify-status';

function bytes(n: number): string {
  return n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function SafetyPage() {
  return (
    <Stack>
      <Backups />
      <BackupPlan />
      <ChangePassphrase />
    </Stack>
  );
}

function Backups() {
  const list = useList('backup:list', {});
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  const [confirming, setConfirming] = useState<string>();
  // Backing up and restoring write: their progress shows, and they are not cancelled.
  const job = useJob();
  const [busy, setBusy] = useState(false);
  /** A restore the vault refused because it would lose history: what it said, until confirmed or cancelled. */
  const [loss, setLoss] = useState<{ file: string; message: string }>();

  const backupNow = async () => {
    setBusy(true);
    const r = await call('backup:create', { jobId: job.start() });
    setBusy(false);
    setNote(r.ok ? { ok: true, text: `Backed up to ${r.data.file}` } : { ok: false, text: r.error.message });
    await list.reload();
  };
  const restore = async (file: string, acceptLoss = false) => {
    setConfirming(undefined);
    setLoss(undefined);
    setBusy(true);
    const jobId = job.start();
    const r = await call('backup:restore', acceptLoss ? { file, acceptLoss, jobId } : { file, jobId });
    setBusy(false);
    if (!r.ok && r.error.code === 'NEEDS_CONFIRMATION') {
      setLoss({ file, message: r.error.message });
      return;
    }
    setNote(
      r.ok
        ? { ok: true, text: `Restored ${r.data.restoredFrom} (history verified: ${r.data.auditRows} ${r.data.auditRows === 1 ? 'entry' : 'entries'}). The previous database is kept at ${r.data.keptAside}.${r.data.entriesSetAside ? ` ${r.data.entriesSetAside} later ${r.data.entriesSetAside === 1 ? 'entry was' : 'entries were'} set aside; the restore is recorded in the history.` : ''}` }
        : { ok: false, text: r.error.message },
    );
    window.dispatchEvent(new Event(VERIFY_AGAIN));
    await list.reload();
  };

  return (
    <Section title="Backups" testId="backups">
      <Text size="sm" c="dimmed">
        Folder: {list.data?.folder ?? '…'}. Backups are encrypted like the database. A restore checks the backup first and keeps the
        current file aside.
      </Text>
      {list.data?.lastError && <Alert color="red">{list.data.lastError}</Alert>}
      {note && (
        <Alert color={note.ok ? 'green' : 'red'} role={note.ok ? 'status' : 'alert'} data-testid="backup-note">
          {note.text}
        </Alert>
      )}
      {job.event && <JobProgress event={job.event} label="Backup progress" />}
      <Group>
        <Button onClick={() => void backupNow()} loading={busy}>
          Back up now
        </Button>
      </Group>
      <Modal opened={loss !== undefined} onClose={() => setLoss(undefined)} title="This restore loses history" data-testid="restore-loss">
        <Stack>
          <Text data-testid="restore-loss-message">{loss?.message}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLoss(undefined)}>
              Keep the current database
            </Button>
            <Button color="red" onClick={() => loss && void restore(loss.file, true)}>
              Restore and lose it
            </Button>
          </Group>
        </Stack>
      </Modal>
      {list.data && list.data.items.length === 0 ? (
        <Empty>No backups yet.</Empty>
      ) : (
        <Table striped data-testid="backup-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Taken</Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th>Size</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((b) => (
              <Table.Tr key={b.file}>
                <Table.Td>{new Date(b.createdAt).toLocaleString()}</Table.Td>
                <Table.Td>
                  {b.name}
                  {!b.complete && (
                    <Badge color="red" variant="light" ml="xs" title={b.problem ?? undefined}>
                      incomplete: {b.problem}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{bytes(b.bytes)}</Table.Td>
                <Table.Td>
                  {!b.complete ? null : confirming === b.file ? (
                    <Group gap="xs">
                      <Button size="xs" color="red" onClick={() => void restore(b.file)} disabled={busy}>
                        Confirm restore
                      </Button>
                      <Button size="xs" variant="default" onClick={() => setConfirming(undefined)}>
                        Cancel
                      </Button>
                    </Group>
                  ) : (
                    <Button size="xs" variant="light" onClick={() => setConfirming(b.file)}>
                      Restore…
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

function BackupPlan() {
  const settings = useList('backup:settings', {});
  const [draft, setDraft] = useState<{ folder: string; everyWrites: number; everyMinutes: number; keep: number; onClose: boolean }>();
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  const s = settings.data;
  const v = draft ?? (s ? { folder: s.folder ?? '', everyWrites: s.everyWrites, everyMinutes: s.everyMinutes, keep: s.keep, onClose: s.onClose } : undefined);
  if (!v) return null;
  const set = (change: Partial<typeof v>) => setDraft({ ...v, ...change });
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = await call('backup:configure', { ...v, folder: v.folder.trim() === '' ? null : v.folder.trim() });
    setNote(r.ok ? { ok: true, text: 'Backup plan saved.' } : { ok: false, text: r.error.message });
    if (r.ok) setDraft(undefined);
    await settings.reload();
  };
  return (
    <Section title="Automatic backups" testId="backup-plan">
      <form onSubmit={save} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Backup folder"
            description={`An existing folder (a USB drive, say). Empty: ${s?.folderInUse ?? 'beside the database'}`}
            value={v.folder}
            onChange={(e) => set({ folder: e.currentTarget.value })}
          />
          <SimpleGrid cols={3}>
            <NumberInput label="Every N writes" min={0} max={100000} value={v.everyWrites} onChange={(n) => set({ everyWrites: Number(n) || 0 })} />
            <NumberInput label="Every N minutes" min={0} max={10080} value={v.everyMinutes} onChange={(n) => set({ everyMinutes: Number(n) || 0 })} />
            <NumberInput label="Keep the last" min={1} max={1000} value={v.keep} onChange={(n) => set({ keep: Number(n) || 1 })} />
          </SimpleGrid>
          <Checkbox label="Back up when Attest closes" checked={v.onClose} onChange={(e) => set({ onClose: e.currentTarget.checked })} />
          {note && <Alert color={note.ok ? 'green' : 'red'}>{note.text}</Alert>}
          <Group>
            <Button type="submit" variant="light">
              Save backup plan
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function ChangePassphrase() {
  const status = useList('vault:status', {});
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  const job = useJob();
  const [busy, setBusy] = useState(false);
  const encrypted = status.data?.encrypted === true;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) {
      setNote({ ok: false, text: 'The two new passphrases differ.' });
      return;
    }
    setBusy(true);
    const jobId = job.start();
    const r = await call('vault:rekey', encrypted ? { current, next, jobId } : { next, jobId });
    setBusy(false);
    if (r.ok) {
      setNote({ ok: true, text: 'Passphrase changed. Backups taken before now still open with the old one.' });
      setCurrent('');
      setNext('');
      setAgain('');
      await status.reload();
    } else setNote({ ok: false, text: r.error.issues[0]?.message ?? r.error.message });
  };
  return (
    <Section title={encrypted ? 'Change the passphrase' : 'Encrypt this database'} testId="change-passphrase">
      {!encrypted && status.data && (
        <Alert color="orange">This database is not encrypted. Choose a passphrase to encrypt it.</Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {encrypted && <PasswordInput label="Current passphrase" value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />}
          <SimpleGrid cols={2}>
            <PasswordInput label="New passphrase" description="At least 10 characters" value={next} onChange={(e) => setNext(e.currentTarget.value)} />
            <PasswordInput label="New passphrase again" value={again} onChange={(e) => setAgain(e.currentTarget.value)} />
          </SimpleGrid>
          {note && (
            <Alert color={note.ok ? 'green' : 'red'} role={note.ok ? 'status' : 'alert'} data-testid="passphrase-note">
              {note.text}
            </Alert>
          )}
          {busy && job.event && <JobProgress event={job.event} label="Passphrase change progress" />}
          <Group>
            <Button type="submit" loading={busy}>
              {encrypted ? 'Change passphrase' : 'Encrypt'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
