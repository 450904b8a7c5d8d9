// Several laptops, one case: this laptop's identity, every device seen, bundles written to and read
// from a USB stick, the open conflicts and filing codes given twice, and people, facilities and
// staff entered twice.
import { Alert, Badge, Button, Code, Group, Modal, PasswordInput, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import type { SyncDevice } from '../../../../shared/contract/sync';
import { call } from '../../api/client';
import { useJob } from '../../api/use-job';
import { useList } from '../../api/use-list';
import { Empty, ErrorNote, FormStatus, PageHeader, Section } from '../../ui/components';
import { formatDateTime } from '../../ui/format';
import { JobProgress } from '../../ui/job-progress';
import { useNav } from '../../ui/nav';
import { VERIFY_AGAIN } from '../vault/verify-status';
import { announceSyncChange, SYNC_CHANGED } from './conflict-badge';
import { CodeClashes, DuplicatePeople, DuplicateRecords } from './duplicate-records';
import { deviceLabel, entityNoun, exportSummary, importSummary, sortDevices } from './sync-logic';

type Status = ChannelOutput<'sync:status'>;

export function SyncPage({ focus }: { focus?: 'conflicts' | undefined }) {
  const status = useList('sync:status', {});
  const conflictsRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const again = () => void status.reload();
    window.addEventListener(SYNC_CHANGED, again);
    return () => window.removeEventListener(SYNC_CHANGED, again);
  }, [status.reload]);
  useEffect(() => {
    if (focus === 'conflicts') conflictsRef.current?.scrollIntoView({ block: 'start' });
  }, [focus]);
  return (
    <Stack>
      <PageHeader
        title="Sync"
        description="Records move between laptops on a USB stick, as one encrypted bundle. Every version is kept; where two laptops edited the same record, you choose what stands."
      />
      {status.error && <ErrorNote title="Sync is not available" message={status.error} />}
      {status.data && <ThisLaptop status={status.data} onChange={status.reload} />}
      <Bundles devices={status.data?.devices ?? []} />
      <Stack ref={conflictsRef}>
        <Conflicts />
        <CodeClashes />
      </Stack>
      {status.data && <Devices status={status.data} onChange={status.reload} />}
      <DuplicatePeople />
      <DuplicateRecords kind="facility" />
      <DuplicateRecords kind="staff" />
    </Stack>
  );
}

function ThisLaptop({ status, onChange }: { status: Status; onChange: () => Promise<void> }) {
  const local = status.local;
  const [name, setName] = useState(local.name ?? '');
  const [note, setNote] = useState<{ error?: string; notice?: string }>({});
  useEffect(() => setName(local.name ?? ''), [local.name]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = await call('sync:rename-device', { id: local.id, name: name.trim() });
    setNote(r.ok ? { notice: `This laptop is now "${r.data.name}". The name travels in its bundles.` } : { error: r.error.issues[0]?.message ?? r.error.message });
    if (r.ok) await onChange();
  };
  return (
    <Section title="This laptop" testId="sync-local">
      <form onSubmit={save} noValidate>
        <Stack gap="sm">
          <Group align="end">
            <TextInput
              style={{ flex: 1, maxWidth: 420 }}
              label="Name"
              description="How other laptops will list this one, e.g. Dana's laptop"
              placeholder="Dana's laptop"
              value={name}
              maxLength={100}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <Button type="submit" variant="light" disabled={!name.trim() || name.trim() === local.name}>
              Save name
            </Button>
          </Group>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Key fingerprint
            </Text>
            <Code data-testid="local-fingerprint">{local.fingerprint}</Code>
          </Group>
          <Text size="xs" c="dimmed">
            Read the fingerprint aloud to whoever imports this laptop's bundles: theirs should list the same. {local.versions} {local.versions === 1 ? 'version' : 'versions'} written here.
          </Text>
          <FormStatus error={note.error} notice={note.notice} />
        </Stack>
      </form>
    </Section>
  );
}

function Devices({ status, onChange }: { status: Status; onChange: () => Promise<void> }) {
  const [asking, setAsking] = useState<SyncDevice>();
  const [error, setError] = useState<string>();
  const devices = sortDevices(status.devices.some((d) => d.local) ? status.devices : [status.local, ...status.devices]);
  const setTrusted = async (d: SyncDevice) => {
    const r = await call('sync:set-trusted', { id: d.id, trusted: !d.trusted });
    setAsking(undefined);
    setError(r.ok ? undefined : r.error.message);
    await onChange();
  };
  return (
    <Section title="Devices" testId="sync-devices">
      <Text size="sm" c="dimmed">
        Every laptop whose records this one holds. An untrusted device's bundles are refused whole; what already came in stays.
      </Text>
      <ErrorNote message={error} title="Not changed" />
      <Table striped data-testid="device-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Device</Table.Th>
            <Table.Th>Key fingerprint</Table.Th>
            <Table.Th>Versions</Table.Th>
            <Table.Th>Last import</Table.Th>
            <Table.Th>Trusted</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {devices.map((d) => (
            <Table.Tr key={d.id} data-testid={`device-${d.id}`}>
              <Table.Td>
                <Group gap={4}>
                  <Text size="sm" fw={d.local ? 600 : undefined} dir="auto">
                    {deviceLabel(d)}
                  </Text>
                  {d.local && (
                    <Badge size="xs" variant="light">
                      this laptop
                    </Badge>
                  )}
                  {!d.trusted && (
                    <Badge size="xs" color="red" variant="light">
                      untrusted: bundles refused
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace">
                  {d.fingerprint}
                </Text>
              </Table.Td>
              <Table.Td>{d.versions}</Table.Td>
              <Table.Td>{d.local ? '—' : d.lastImportAt ? formatDateTime(d.lastImportAt) : 'never'}</Table.Td>
              <Table.Td>
                {d.local ? (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                ) : (
                  <Switch
                    checked={d.trusted}
                    aria-label={`Trust ${deviceLabel(d)}`}
                    color={d.trusted ? 'teal' : 'red'}
                    onChange={() => setAsking(d)}
                  />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={asking !== undefined} onClose={() => setAsking(undefined)} title={asking?.trusted ? 'Stop trusting this device' : 'Trust this device again'} centered>
        {asking && (
          <Stack>
            <Text size="sm">
              {asking.trusted
                ? `Bundles from ${deviceLabel(asking)} will be refused whole from now on. The records that already came in from it stay, with their history.`
                : `Bundles from ${deviceLabel(asking)} will be read again. Check its fingerprint first: ${asking.fingerprint}`}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setAsking(undefined)}>
                Cancel
              </Button>
              <Button color={asking.trusted ? 'red' : 'teal'} onClick={() => void setTrusted(asking)}>
                {asking.trusted ? 'Refuse its bundles' : 'Trust it'}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Section>
  );
}

function Bundles({ devices }: { devices: readonly SyncDevice[] }) {
  const [folder, setFolder] = useState('');
  const [forDevice, setForDevice] = useState<string | null>(null);
  const [file, setFile] = useState('');
  // Kept only while the page is open: the bundle passphrase is never stored on this laptop.
  const [passphrase, setPassphrase] = useState('');
  const [dialog, setDialog] = useState(false);
  const [busy, setBusy] = useState<'write' | 'read'>();
  const job = useJob();
  const [written, setWritten] = useState<string>();
  const [read, setRead] = useState<ChannelOutput<'sync:import'>>();
  const [refused, setRefused] = useState<{ what: 'write' | 'read'; message: string }>();
  const [cancelled, setCancelled] = useState<'write' | 'read'>();

  useEffect(() => {
    // The desktop app offers the OS dialogs; the browser harness and the CLI take a typed path.
    void call('dialogs:choose', { purpose: 'bundle-folder', probe: true }).then((r) => setDialog(r.ok && r.data.available));
  }, []);
  const chooseFolder = async () => {
    const r = await call('dialogs:choose', { purpose: 'bundle-folder' });
    if (r.ok && r.data.path) setFolder(r.data.path);
  };
  const chooseFile = async () => {
    const r = await call('dialogs:choose', { purpose: 'bundle-file' });
    if (r.ok && r.data.path) setFile(r.data.path);
  };

  const write = async () => {
    setBusy('write');
    setRefused(undefined);
    setCancelled(undefined);
    setWritten(undefined);
    setRead(undefined);
    const r = await call('sync:export', { folder: folder.trim(), passphrase, ...(forDevice ? { forDevice } : {}), jobId: job.start() });
    setBusy(undefined);
    if (r.ok) {
      setWritten(exportSummary(r.data));
    } else if (r.error.code === 'CANCELLED') setCancelled('write');
    else setRefused({ what: 'write', message: r.error.issues[0] ? `${r.error.issues[0].path.join('.')}: ${r.error.issues[0].message}` : r.error.message });
  };
  const readBundle = async () => {
    setBusy('read');
    setRefused(undefined);
    setCancelled(undefined);
    setWritten(undefined);
    setRead(undefined);
    const r = await call('sync:import', { file: file.trim(), passphrase, jobId: job.start() });
    setBusy(undefined);
    // Cancelled while the bundle was being checked: nothing was merged (the merge itself is not cancellable).
    if (r.ok) setRead(r.data);
    else if (r.error.code === 'CANCELLED') setCancelled('read');
    else setRefused({ what: 'read', message: r.error.issues[0] ? `${r.error.issues[0].path.join('.')}: ${r.error.issues[0].message}` : r.error.message });
    announceSyncChange();
    window.dispatchEvent(new Event(VERIFY_AGAIN));
  };
  const others = devices.filter((d) => !d.local);
  const summary = read && importSummary(read);

  return (
    <Section title="Bundles" testId="sync-bundles">
      <Text size="sm" c="dimmed">
        A bundle is one encrypted file holding every version this laptop knows. Write it to a USB stick, read it on the other laptop, then
        the other way round; reading the same bundle twice changes nothing.
      </Text>
      <PasswordInput
        maw={420}
        label="Office bundle passphrase"
        description="Every laptop of the office uses the same one; without it a bundle is unreadable"
        value={passphrase}
        onChange={(e) => setPassphrase(e.currentTarget.value)}
      />
      <Group align="end">
        <TextInput
          style={{ flex: 1 }}
          label="Folder to write into"
          description="The USB stick, or any folder"
          value={folder}
          onChange={(e) => setFolder(e.currentTarget.value)}
        />
        {dialog && (
          <Button variant="default" onClick={() => void chooseFolder()} aria-label="Choose the folder">
            Choose…
          </Button>
        )}
        {others.length > 0 && (
          <Select
            w={220}
            label="For"
            clearable
            placeholder="Every laptop (everything)"
            data={others.map((d) => ({ value: d.id, label: `Only what ${deviceLabel(d)} lacks` }))}
            value={forDevice}
            onChange={setForDevice}
          />
        )}
        <Button onClick={() => void write()} loading={busy === 'write'} disabled={!folder.trim() || !passphrase || busy !== undefined}>
          Write a bundle
        </Button>
      </Group>
      <Group align="end">
        <TextInput
          style={{ flex: 1 }}
          label="Bundle to read"
          description="The bundle file another laptop wrote"
          value={file}
          onChange={(e) => setFile(e.currentTarget.value)}
        />
        {dialog && (
          <Button variant="default" onClick={() => void chooseFile()} aria-label="Choose the bundle">
            Choose…
          </Button>
        )}
        <Button onClick={() => void readBundle()} loading={busy === 'read'} disabled={!file.trim() || !passphrase || busy !== undefined}>
          Read a bundle
        </Button>
      </Group>
      {job.event && <JobProgress event={job.event} label={busy === 'read' || read ? 'Bundle reading progress' : 'Bundle writing progress'} onCancel={() => void job.cancel()} />}
      {refused && (
        <Alert color="red" role="alert" title={refused.what === 'read' ? 'Bundle refused: nothing was changed' : 'No bundle written'} data-testid="bundle-refused">
          {refused.message}
        </Alert>
      )}
      {cancelled && (
        <Alert color="gray" role="status" data-testid="bundle-cancelled">
          {cancelled === 'read' ? 'Reading the bundle was cancelled before anything was merged: nothing was changed.' : 'Writing the bundle was cancelled: no bundle was written.'}
        </Alert>
      )}
      {written && (
        <Alert color="green" role="status" data-testid="bundle-written">
          {written}
        </Alert>
      )}
      {summary && (
        <Alert color={read.newConflicts ? 'orange' : 'green'} role="status" title="Bundle read" data-testid="bundle-read">
          <Stack gap={2}>
            <Text size="sm">{summary.headline}</Text>
            {summary.devices.map((line) => (
              <Text key={line} size="xs">
                {line}
              </Text>
            ))}
            {read.newConflicts > 0 && <Text size="sm">Choose what stands in each conflict below.</Text>}
          </Stack>
        </Alert>
      )}
    </Section>
  );
}

function Conflicts() {
  const nav = useNav();
  const list = useList('sync:conflicts', {});
  useEffect(() => {
    const again = () => void list.reload();
    window.addEventListener(SYNC_CHANGED, again);
    return () => window.removeEventListener(SYNC_CHANGED, again);
  }, [list.reload]);
  return (
    <Section title={`Open conflicts${list.data ? ` (${list.data.length})` : ''}`} testId="sync-conflicts">
      {list.error ? (
        <ErrorNote title="Could not list conflicts" message={list.error} />
      ) : list.data && list.data.length === 0 ? (
        <Empty>No open conflicts: no record has been edited differently on two laptops.</Empty>
      ) : (
        <Table striped highlightOnHover data-testid="conflict-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Record</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Heads</Table.Th>
              <Table.Th>Last written</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.map((c) => (
              <Table.Tr key={`${c.entity}:${c.id}`}>
                <Table.Td>
                  <Text size="sm" dir="auto">
                    {c.label}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Text size="sm">{entityNoun(c.entity)}</Text>
                    {c.editVsDelete && (
                      <Badge size="xs" color="red" variant="light">
                        edit vs delete
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{c.heads}</Table.Td>
                <Table.Td>{formatDateTime(c.lastAt)}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="light" onClick={() => nav.go({ page: 'conflict', entity: c.entity, id: c.id })} aria-label={`Resolve ${c.label}`}>
                    Resolve…
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}
