import { Alert, Badge, Button, Checkbox, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import type { ReportDefinitionInput } from '../../../../shared/report/definition';
import { call } from '../../api/client';
import { useJob } from '../../api/use-job';
import { ErrorNote, Section } from '../../ui/components';
import { JobProgress } from '../../ui/job-progress';
import type { Format } from './draft';

type OpenConflict = NonNullable<ChannelOutput<'reports:preview'>['conflicts']>[number];

export function ExportPanel({
  definition,
  savedId,
  unreviewed,
  conflicts,
}: {
  definition: ReportDefinitionInput;
  savedId: string | null;
  unreviewed: number | undefined;
  /** Records of the report with open conflicts (from the preview): the export needs a choice. */
  conflicts: OpenConflict[];
}) {
  const [formats, setFormats] = useState<Format[]>(['pdf', 'docx', 'xlsx', 'csv', 'html']);
  const [folder, setFolder] = useState('');
  const [bom, setBom] = useState(true);
  const [includeKey, setIncludeKey] = useState(true);
  const [strict, setStrict] = useState(false);
  const [noteConflicts, setNoteConflicts] = useState(false);
  const [busy, setBusy] = useState(false);
  const job = useJob();
  const [result, setResult] = useState<ChannelOutput<'reports:export'>>();
  const [error, setError] = useState<string>();
  const [dialog, setDialog] = useState<boolean>(false);

  useEffect(() => {
    // The desktop app offers the OS folder dialog; the browser harness takes a typed path.
    void call('reports:choose-folder', { probe: true }).then((r) => setDialog(r.ok && r.data.available));
  }, []);

  const choose = async () => {
    const r = await call('reports:choose-folder', { probe: false });
    if (r.ok && r.data.folder) setFolder(r.data.folder);
  };

  const run = async () => {
    // Progress arrives as pushed events of this job (useJob), not by asking.
    const jobId = job.start();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    const r = await call('reports:export', { ...(savedId ? { definitionId: savedId } : { definition }), formats, folder, bom, includeKey, strict, conflicts: noteConflicts ? 'note' : 'refuse', jobId });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.code === 'CANCELLED' ? 'Export cancelled: no file was written and nothing was logged.' : r.error.message);
      return;
    }
    setResult(r.data);
  };
  const progress = job.event;

  return (
    <Section title="Export" testId="report-export">
      {savedId && (
        <Text size="sm" c="dimmed">
          Exports the saved definition, so the export log names it and its version. Save first to export your latest changes.
        </Text>
      )}
      <Checkbox.Group label="Formats" value={formats} onChange={(v) => setFormats(v as Format[])}>
        <Group mt={4}>
          {(['pdf', 'docx', 'xlsx', 'csv', 'html'] as const).map((f) => (
            <Checkbox key={f} value={f} label={f.toUpperCase()} />
          ))}
        </Group>
      </Checkbox.Group>
      <Group align="end">
        <TextInput style={{ flex: 1 }} label="Folder" description="Where the files and the manifest are written" value={folder} onChange={(e) => setFolder(e.currentTarget.value)} />
        {dialog && (
          <Button variant="default" onClick={() => void choose()}>
            Choose…
          </Button>
        )}
      </Group>
      <Group>
        <Checkbox label="Byte-order mark in CSV (for Excel)" checked={bom} onChange={(e) => setBom(e.currentTarget.checked)} />
        <Checkbox label="Also write the sealed key (public exports)" checked={includeKey} onChange={(e) => setIncludeKey(e.currentTarget.checked)} />
        {unreviewed !== undefined && (
          <Checkbox label="Refuse while the redaction review is unfinished" checked={strict} onChange={(e) => setStrict(e.currentTarget.checked)} />
        )}
      </Group>
      {conflicts.length > 0 && (
        <Alert color="orange" title={`${conflicts.length} ${conflicts.length === 1 ? 'record of this report has' : 'records of this report have'} an open conflict`} data-testid="export-conflicts">
          <Text size="sm">Edited on two laptops and not yet resolved. Resolve them on the Sync page, or export with them named in the method note and manifest.</Text>
          <List size="sm" mt={4}>
            {conflicts.map((c) => (
              <List.Item key={`${c.entity}:${c.id}`}>
                {c.entity}: {c.label}
                {c.kind === 'code' ? '' : ` (${c.heads} versions)`}
              </List.Item>
            ))}
          </List>
          <Checkbox
            mt="xs"
            label="Export anyway, naming these records in the method note and manifest"
            checked={noteConflicts}
            onChange={(e) => setNoteConflicts(e.currentTarget.checked)}
            data-testid="export-note-conflicts"
          />
        </Alert>
      )}
      {progress && <JobProgress event={progress} label="Export progress" />}
      <ErrorNote message={error} />
      <Group>
        <Button onClick={() => void run()} loading={busy} disabled={!formats.length || (conflicts.length > 0 && !noteConflicts)}>
          Export
        </Button>
        {busy && (
          <Button variant="default" onClick={() => void job.cancel()} disabled={!progress?.cancellable}>
            Cancel
          </Button>
        )}
        {unreviewed !== undefined && (
          <Badge color={unreviewed ? 'orange' : 'teal'} variant="light" data-testid="export-unreviewed">
            {unreviewed ? `${unreviewed} redaction review ${unreviewed === 1 ? 'item' : 'items'} not reviewed` : 'Redaction review complete'}
          </Badge>
        )}
      </Group>
      {result && (
        <Stack gap={4} data-testid="export-result">
          <Text size="sm">
            Wrote {result.export.files.length} files for {result.export.incidentCount} incidents to {result.export.folder}
          </Text>
          {result.export.files.map((f) => (
            <Text key={f.name} size="xs" ff="monospace">
              {f.name} · {f.sha256.slice(0, 16)}…
            </Text>
          ))}
        </Stack>
      )}
    </Section>
  );
}
