// Backups (list, back up now, restore, the automatic plan) and the passphrase.
import { Alert, Badge, Button, Checkbox, Group, Loader, Modal, NumberInput, PasswordInput, SimpleGrid, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useCallback, useContext, useEffect, useState, type FormEvent } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import type { BackupDescription, DatabaseSummary } from '../../../../shared/safety';
import { formatDateTime } from '../../ui/format';
import { IdleLockSetting, LockContext, VAULT_CHANGED } from './lock';
import { call } from '../../api/client';
import { useJob } from '../../api/use-job';
import { JobProgress } from '../../ui/job-progress';
import { Empty, Section } from '../../ui/components';
import { useList } from '../../api/use-list';
import { VERIFY_AGAIN } from './verify-status';

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function bytes(n: number): string {
  return n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function SafetyPage() {
  // One list for the page: saving the backup plan (a new folder) reloads it, so Restore… always
  // offers the backups of the folder in use.
  const list = useList('backup:list', {});
  return (
    <Stack>
      <Backups list={list} />
      <BackupPlan onSaved={list.reload} />
      <IdleLockSetting />
      <ChangePassphrase onBackedUp={list.reload} />
    </Stack>
  );
}

type BackupListState = { data: ChannelOutput<'backup:list'> | undefined; reload: () => Promise<void> };
type Summary = DatabaseSummary;

const COUNT_LABELS: [keyof Summary['counts'], string, string][] = [
  ['people', 'person', 'people'],
  ['incidents', 'incident', 'incidents'],
  ['interviews', 'interview', 'interviews'],
  ['facilities', 'facility', 'facilities'],
];

function countsText(c: Summary['counts']): string {
  return COUNT_LABELS.map(([k, one, many]) => `${c[k].toLocaleString()} ${c[k] === 1 ? one : many}`).join(' · ');
}

function deviceText(d: Summary['device']): string {
  if (!d) return 'a laptop from before devices were named';
  return d.name ?? `an unnamed laptop (key ${d.fingerprint.slice(0, 9)})`;
}

/**
 * What each listed backup holds (device, counts), read from the backup after the list is shown,
 * one at a time: each read derives the backup's key, so it stays off the list's own answer.
 */
function useBackupSummaries(items: readonly { file: string; complete: boolean }[] | undefined) {
  const [known, setKnown] = useState<Record<string, BackupDescription>>({});
  const files = (items ?? []).filter((b) => b.complete).map((b) => b.file).join('\n');
  useEffect(() => {
    let stop = false;
    void (async () => {
      for (const file of files ? files.split('\n') : []) {
        if (stop) return;
        const r = await call('backup:describe', { file });
        if (stop) return;
        if (r.ok) setKnown((k) => ({ ...k, [file]: r.data }));
      }
    })();
    return () => {
      stop = true;
    };
  }, [files]);
  return known;
}

function Backups({ list }: { list: BackupListState }) {
  const { encrypted } = useContext(LockContext);
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  const [confirming, setConfirming] = useState<{ file: string; createdAt: string }>();
  // Backing up and restoring write: their progress shows, and they are not cancelled.
  const job = useJob();
  const [busy, setBusy] = useState(false);
  /** A restore the vault refused because it would lose history: what it said, until confirmed or cancelled. */
  const [loss, setLoss] = useState<{ file: string; passphrase?: string; message: string }>();
  const summaries = useBackupSummaries(list.data?.items);

  const backupNow = async () => {
    setBusy(true);
    const r = await call('backup:create', { jobId: job.start() });
    setBusy(false);
    setNote(r.ok ? { ok: true, text: `Backed up to ${r.data.file}` } : { ok: false, text: r.error.message });
    await list.reload();
  };
  const restore = async (file: string, passphrase: string | undefined, acceptLoss = false) => {
    setConfirming(undefined);
    setLoss(undefined);
    setBusy(true);
    const jobId = job.start();
    const r = await call('backup:restore', { file, jobId, ...(passphrase ? { passphrase } : {}), ...(acceptLoss ? { acceptLoss } : {}) });
    setBusy(false);
    if (!r.ok && r.error.code === 'NEEDS_CONFIRMATION') {
      setLoss({ file, ...(passphrase ? { passphrase } : {}), message: r.error.message });
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
      <Text size="sm" c="dimmed" data-testid="backups-about">
        Folder: {list.data?.folder ?? '…'}.{' '}
        {encrypted
          ? "Backups are encrypted with the database's passphrase (a backup taken before a passphrase change keeps the passphrase it had)."
          : 'Backups are NOT encrypted, like the database: anyone with a backup file can read every record in it.'}{' '}
        A restore checks the backup first and keeps the current file aside.
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
      {confirming && (
        <RestoreConfirm
          backup={confirming}
          busy={busy}
          onCancel={() => setConfirming(undefined)}
          onConfirm={(passphrase) => void restore(confirming.file, passphrase)}
        />
      )}
      <Modal opened={loss !== undefined} onClose={() => setLoss(undefined)} title="This restore loses history" data-testid="restore-loss">
        <Stack>
          <Text data-testid="restore-loss-message">{loss?.message}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLoss(undefined)}>
              Keep the current database
            </Button>
            <Button color="red" onClick={() => loss && void restore(loss.file, loss.passphrase, true)}>
              Restore and lose it
            </Button>
          </Group>
        </Stack>
      </Modal>
      {list.data && list.data.items.length === 0 ? (
        <Empty>No backups in this folder yet.</Empty>
      ) : (
        <Table striped data-testid="backup-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Taken</Table.Th>
              <Table.Th>On</Table.Th>
              <Table.Th>Holds</Table.Th>
              <Table.Th>File</Table.Th>
              <Table.Th>
                <VisuallyHidden>Restore</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((b) => {
              const d = summaries[b.file];
              return (
                <Table.Tr key={b.file} data-testid="backup-row">
                  {/* Date and time on one line; the file name below gives way instead. */}
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(b.createdAt)}</Table.Td>
                  <Table.Td>{d?.summary ? deviceText(d.summary.device) : ''}</Table.Td>
                  <Table.Td>
                    {!b.complete ? (
                      <Badge color="red" variant="light" title={b.problem ?? undefined}>
                        incomplete: {b.problem}
                      </Badge>
                    ) : d?.summary ? (
                      countsText(d.summary.counts)
                    ) : d?.needsPassphrase ? (
                      <Text size="sm" span>
                        made with another passphrase
                      </Text>
                    ) : d?.problem ? (
                      <Text size="sm" c="red.8" span>
                        {d.problem}
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed" span>
                        reading…
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" span style={{ overflowWrap: 'anywhere' }}>
                      {fileNameBreakable(b.name)}
                    </Text>{' '}
                    <Text size="xs" c="dimmed" span>
                      {bytes(b.bytes)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {b.complete && (
                      <Button size="xs" variant="light" onClick={() => setConfirming({ file: b.file, createdAt: b.createdAt })}>
                        Restore…
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

/**
 * Before anything happens: the backup (when, which laptop, what it holds) beside the database it
 * would replace, read from both; a backup made with another passphrase asks for it here.
 */
function RestoreConfirm(props: { backup: { file: string; createdAt: string }; busy: boolean; onCancel: () => void; onConfirm: (passphrase: string | undefined) => void }) {
  const { file, createdAt } = props.backup;
  const [described, setDescribed] = useState<BackupDescription>();
  const [passphrase, setPassphrase] = useState('');
  const [used, setUsed] = useState<string>();
  const [error, setError] = useState<string>();
  const [reading, setReading] = useState(false);
  const describe = useCallback(
    async (withPassphrase?: string) => {
      setReading(true);
      const r = await call('backup:describe', { file, withCurrent: true, ...(withPassphrase ? { passphrase: withPassphrase } : {}) });
      setReading(false);
      if (r.ok) {
        setDescribed(r.data);
        setUsed(withPassphrase);
        setError(undefined);
      } else setError(r.error.issues[0]?.message ?? r.error.message);
    },
    [file],
  );
  useEffect(() => {
    void describe();
  }, [describe]);
  const b = described?.summary;
  const now = described?.current;
  const rows: [string, number, number][] =
    b && now
      ? [...COUNT_LABELS.map(([k, , many]) => [many, now.counts[k], b.counts[k]] as [string, number, number]), ['history entries', now.auditRows, b.auditRows]]
      : [];
  return (
    <Modal opened onClose={props.onCancel} title="Restore this backup?" size="lg" data-testid="restore-confirm">
      <Stack>
        <Text data-testid="restore-what">
          The backup taken {formatDateTime(createdAt)}
          {b ? ` on ${deviceText(b.device)}` : ''} ({basename(file)}).
        </Text>
        {!described && !error && <Loader size="sm" aria-label="Reading the backup" />}
        {described?.problem && (
          <Alert color="red" role="alert">
            {described.problem}
          </Alert>
        )}
        {described?.needsPassphrase && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void describe(passphrase);
            }}
            noValidate
          >
            <Stack gap="xs">
              <Alert color="orange">This backup was made with another passphrase (the passphrase was changed since). Enter the passphrase it was made with; it is restored under the current one.</Alert>
              <Group align="flex-end">
                <PasswordInput label="The backup's passphrase" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} w={320} autoFocus />
                <Button type="submit" variant="light" loading={reading}>
                  Open the backup
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {error && (
          <Alert color="red" role="alert" data-testid="restore-confirm-error">
            {error}
          </Alert>
        )}
        {b && now && (
          <>
            <Text size="sm">It replaces the current database. What each holds:</Text>
            <Table withTableBorder data-testid="restore-compare" w="auto">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th />
                  <Table.Th ta="right">Now</Table.Th>
                  <Table.Th ta="right">After the restore</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map(([label, a, c]) => (
                  <Table.Tr key={label}>
                    <Table.Th scope="row" fw={500}>
                      {label}
                    </Table.Th>
                    <Table.Td ta="right">{a.toLocaleString()}</Table.Td>
                    <Table.Td ta="right" fw={a !== c ? 700 : undefined}>
                      {c.toLocaleString()}
                      {a !== c ? ` (${c > a ? '+' : ''}${(c - a).toLocaleString()})` : ''}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="sm" c="dimmed">
              The current database is kept aside beside it, and the backup is checked whole before it is put in place. Changes made since the backup are not
              in it.
            </Text>
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button color="red" disabled={!b || props.busy} onClick={() => props.onConfirm(used)}>
            Confirm restore
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function BackupPlan({ onSaved }: { onSaved: () => Promise<void> }) {
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
    if (r.ok) await onSaved();
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

/**
 * A change backs the database up before anything else, and that backup stays whatever follows
 * (changed, cancelled, refused after it): `onBackedUp` reloads the list once the change ends.
 */
function ChangePassphrase({ onBackedUp }: { onBackedUp: () => Promise<void> }) {
  const status = useList('vault:status', {});
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string; cancelled?: boolean }>();
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
    void onBackedUp();
    if (r.ok) {
      setNote({ ok: true, text: 'Passphrase changed. Backups taken before now still open with the old one.' });
      setCurrent('');
      setNext('');
      setAgain('');
      await status.reload();
      window.dispatchEvent(new Event(VAULT_CHANGED));
    } else if (r.error.code === 'CANCELLED') setNote({
        ok: true,
        cancelled: true,
        text: 'Cancelled: the passphrase was not changed; the database still opens with the current one. The backup taken before the change is kept (listed under Backups).',
      });
    else setNote({ ok: false, text: r.error.issues[0]?.message ?? r.error.message });
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
            <Alert color={note.cancelled ? 'gray' : note.ok ? 'green' : 'red'} role={note.ok ? 'status' : 'alert'} data-testid="passphrase-note">
              {note.text}
            </Alert>
          )}
          {/* Cancellable until the copy is renamed into place (the button is disabled from then on). */}
          {busy && job.event && <JobProgress event={job.event} label="Passphrase change progress" onCancel={() => void job.cancel()} />}
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

/** A backup's file name that may break before its extension (and anywhere, as a last resort). */
function fileNameBreakable(name: string) {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return name;
  return (
    <>
      {name.slice(0, dot)}
      <wbr />
      {name.slice(dot)}
    </>
  );
}
