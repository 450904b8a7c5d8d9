import { Button, Checkbox, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import type { ReportDefinitionInput } from '../../../../shared/report/definition';
import { call } from '../../api/client';
import { useJob } from '../../api/use-job';
import { ErrorNote, Section } from '../../ui/components';
import { JobProgress } from '../../ui/job-progress';

interface Doc {
  path: string;
  title: string;
}

/**
 * Reports → Bundle: the exhibit and the documents filed after it (Exhibit B-1…B-n), one PDF behind
 * an index with Bates numbers from the office settings (reports:bundle).
 */
export function BundlePanel({ definition, savedId, conflicts = 0 }: { definition: ReportDefinitionInput; savedId: string | null; /** Records of the report with open conflicts (listed in the Export section). */ conflicts?: number }) {
  const [noteConflicts, setNoteConflicts] = useState(false);
  const [docs, setDocs] = useState<Doc[]>([]);
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<ChannelOutput<'reports:bundle'>>();
  const job = useJob();

  const set = (i: number, patch: Partial<Doc>) => setDocs((d) => d.map((x, k) => (k === i ? { ...x, ...patch } : x)));
  const run = async () => {
    const jobId = job.start();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    const r = await call('reports:bundle', { ...(savedId ? { definitionId: savedId } : { definition }), documents: docs, folder, conflicts: noteConflicts ? 'note' : 'refuse', jobId });
    setBusy(false);
    if (!r.ok) {
      setError(r.error.code === 'CANCELLED' ? 'Bundle cancelled: no file was written and nothing was logged.' : r.error.message);
      return;
    }
    setResult(r.data);
  };

  return (
    <Section title="Filing bundle" testId="report-bundle">
      <Text size="sm" c="dimmed">
        One PDF for filing: an index, this exhibit, then each document below as Exhibit B-1, B-2… behind its slip sheet, with a Bates number on every page (prefix and first number in the office
        settings). Documents are filed as given: redact them before adding them to a public bundle.
      </Text>
      {docs.map((d, i) => (
        <Stack key={i} gap={4}>
          <TextInput label={`Exhibit B-${i + 1}: PDF file`} value={d.path} onChange={(e) => set(i, { path: e.currentTarget.value })} />
          <Group align="end" wrap="nowrap">
            <TextInput style={{ flex: 1 }} label="Title" value={d.title} onChange={(e) => set(i, { title: e.currentTarget.value })} />
            <Button variant="default" onClick={() => setDocs((x) => x.filter((_, k) => k !== i))} aria-label={`Remove Exhibit B-${i + 1}`}>
              Remove
            </Button>
          </Group>
        </Stack>
      ))}
      <Group>
        <Button variant="default" onClick={() => setDocs((d) => [...d, { path: '', title: '' }])}>
          Add a document
        </Button>
      </Group>
      <TextInput label="Folder" description="Where the bundle and its manifest are written" value={folder} onChange={(e) => setFolder(e.currentTarget.value)} />
      {job.event && <JobProgress event={job.event} label="Bundle progress" />}
      <ErrorNote message={error} />
      <Group>
        {conflicts > 0 && (
          <Checkbox
            label={`Bundle anyway, naming the ${conflicts} ${conflicts === 1 ? 'record' : 'records'} with open conflicts in the method note and manifest`}
            checked={noteConflicts}
            onChange={(e) => setNoteConflicts(e.currentTarget.checked)}
            data-testid="bundle-note-conflicts"
          />
        )}
        <Button onClick={() => void run()} loading={busy} disabled={!folder.trim() || (conflicts > 0 && !noteConflicts)}>
          Write bundle
        </Button>
      </Group>
      {result && (
        <Stack gap={4} data-testid="bundle-result">
          <Text size="sm">
            Wrote a {result.pages}-page bundle to {result.export.folder}
          </Text>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Exhibit</Table.Th>
                <Table.Th>Pages</Table.Th>
                <Table.Th>Bates</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.parts.map((p) => (
                <Table.Tr key={p.label}>
                  <Table.Td>
                    {p.label}: {p.title}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{p.pages[0] === p.pages[1] ? p.pages[0] : `${p.pages[0]}–${p.pages[1]}`}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {p.bates[0] === p.bates[1] ? (
                      p.bates[0]
                    ) : (
                      <>
                        {p.bates[0]} –<br />
                        {p.bates[1]}
                      </>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Section>
  );
}
