import { Alert, Badge, Button, Checkbox, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import { FIELD_LABELS, fieldsOf, ROSTER_ENCODINGS, type ImportField, type ImportKind, type RosterEncoding } from '../../../../shared/roster/fields';
import { call } from '../../api/client';
import { useJob } from '../../api/use-job';
import { JobProgress } from '../../ui/job-progress';
import { refreshFacilities } from '../../api/lookups';
import { ErrorNote, PageHeader, Section } from '../../ui/components';
import { useNav } from '../../ui/nav';

type Read = ChannelOutput<'import:read'>;
type Check = ChannelOutput<'import:check'>;
type Run = ChannelOutput<'import:run'>;
type Mapping = Record<string, ImportField | ''>;
type Order = 'mdy' | 'dmy';

const ENCODING_LABELS: Record<RosterEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1256': 'Windows-1256 (Arabic)',
  'windows-1252': 'Windows-1252 (Western)',
};

/** People → Import…: a roster file read, its columns mapped, every row checked, then written at once. */
export function ImportPage() {
  const nav = useNav();
  const [kind, setKind] = useState<ImportKind>('people');
  const [path, setPath] = useState('');
  const [dialog, setDialog] = useState(false);
  const [sheet, setSheet] = useState<string | null>(null);
  const [encoding, setEncoding] = useState<RosterEncoding | null>(null);
  const [info, setInfo] = useState<Read>();
  const [mapping, setMapping] = useState<Mapping>({});
  const [orders, setOrders] = useState<Partial<Record<string, Order>>>({});
  const [check, setCheck] = useState<Check>();
  const [validOnly, setValidOnly] = useState(false);
  const [result, setResult] = useState<Run>();
  const [rejectedFile, setRejectedFile] = useState<string>();
  const [mappingName, setMappingName] = useState('');
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string | null>(null);
  // Rows checked and rows written arrive as pushed job events (a large roster takes a while).
  const job = useJob();

  useEffect(() => {
    // The desktop app offers the OS file dialog; the browser harness takes a typed path.
    void call('import:choose-file', { probe: true }).then((r) => setDialog(r.ok && r.data.available));
  }, []);

  const fileRef = (o: { sheet?: string | null; encoding?: RosterEncoding | null } = {}) => ({
    path,
    kind,
    ...((o.sheet ?? sheet) ? { sheet: o.sheet ?? sheet } : {}),
    ...((o.encoding ?? encoding) ? { encoding: o.encoding ?? encoding } : {}),
  });
  const checkInput = () => ({ ...fileRef(), mapping, dateOrders: orders });

  const read = async (o: { sheet?: string | null; encoding?: RosterEncoding | null; file?: string } = {}) => {
    const target = o.file ?? path;
    if (!target) return;
    setBusy('read');
    setError(undefined);
    setCheck(undefined);
    setResult(undefined);
    setRejectedFile(undefined);
    const r = await call('import:read', { ...fileRef(o), path: target });
    setBusy(null);
    if (!r.ok) {
      setInfo(undefined);
      setError(r.error.message);
      return;
    }
    setInfo(r.data);
    setSheet(r.data.sheet);
    setEncoding(r.data.encoding);
    setMapping(r.data.saved?.mapping ?? r.data.guess);
    setNotice(r.data.saved ? `Using the saved mapping "${r.data.saved.name}".` : undefined);
  };

  const choose = async () => {
    const r = await call('import:choose-file', { probe: false });
    if (r.ok && r.data.path) {
      setPath(r.data.path);
      setSheet(null);
      setEncoding(null);
      await read({ file: r.data.path, sheet: null, encoding: null });
    }
  };

  const runCheck = async () => {
    setBusy('check');
    setError(undefined);
    setResult(undefined);
    setRejectedFile(undefined);
    const r = await call('import:check', { ...checkInput(), jobId: job.start() });
    setBusy(null);
    if (!r.ok) {
      setCheck(undefined);
      setError(r.error.message);
      return;
    }
    setCheck(r.data);
  };

  const runImport = async () => {
    if (!info) return;
    setBusy('import');
    setError(undefined);
    const r = await call('import:run', { ...checkInput(), sha256: info.sha256, validOnly, jobId: job.start() });
    setBusy(null);
    if (!r.ok) {
      setError(`${r.error.message}`);
      return;
    }
    setResult(r.data);
    refreshFacilities();
  };

  const exportRejected = async () => {
    const r = await call('import:export-rejected', checkInput());
    if (!r.ok) setError(r.error.message);
    else setRejectedFile(`${r.data.rows} rows written to ${r.data.path}`);
  };

  const saveMapping = async () => {
    const r = await call('import:save-mapping', { name: mappingName, kind, mapping });
    if (!r.ok) setError(r.error.message);
    else setNotice(`Mapping saved as "${r.data.name}".`);
  };

  const fieldOptions = [{ value: '', label: '— not imported —' }, ...fieldsOf(kind).map((f) => ({ value: f, label: FIELD_LABELS[f] }))];
  const c = check?.counts;
  const problems = c ? c.rejected + c.held : 0;

  return (
    <Stack>
      <PageHeader
        title="Import a roster"
        description="A class list or facility list from CSV or Excel: every row is checked before anything is written, and the import is all or nothing."
        crumbs={[{ label: 'People', onClick: () => nav.go({ page: 'people' }) }]}
      />
      <Section title="1. The file" testId="import-file">
        <Group align="end">
          <Select label="Import into" data={[{ value: 'people', label: 'People' }, { value: 'facilities', label: 'Facilities' }]} value={kind} onChange={(v) => setKind((v as ImportKind) ?? 'people')} allowDeselect={false} w={160} />
          <TextInput style={{ flex: 1 }} label="Roster file (CSV or XLSX)" value={path} onChange={(e) => setPath(e.currentTarget.value)} data-testid="import-path" />
          {dialog && (
            <Button variant="default" onClick={() => void choose()}>
              Choose file…
            </Button>
          )}
          <Button onClick={() => void read()} loading={busy === 'read'} disabled={!path} data-testid="import-read">
            Read
          </Button>
        </Group>
        {info && (
          <Stack gap={6}>
            <Text size="sm" data-testid="import-info">
              <b>{info.fileName}</b>: {info.rowCount} rows, header on row {info.headerLine}
              {info.format === 'csv' ? `, read as ${ENCODING_LABELS[info.encoding!]}${info.encodingDetected ? ' (detected)' : ''}` : `, sheet “${info.sheet}”`}. SHA-256 {info.sha256.slice(0, 16)}…
            </Text>
            <Group>
              {info.sheets.length > 1 && (
                <Select label="Sheet" data={info.sheets} value={sheet} onChange={(v) => void read({ sheet: v })} allowDeselect={false} w={240} />
              )}
              {info.format === 'csv' && (
                <Select
                  label="Encoding (if the letters look wrong)"
                  data={ROSTER_ENCODINGS.map((e) => ({ value: e, label: ENCODING_LABELS[e] }))}
                  value={encoding}
                  onChange={(v) => void read({ encoding: v as RosterEncoding })}
                  allowDeselect={false}
                  w={260}
                />
              )}
            </Group>
            <Table.ScrollContainer minWidth={500}>
              <Table striped withTableBorder fz="xs" data-testid="import-preview">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Row</Table.Th>
                    {info.headers.map((h) => (
                      <Table.Th key={h} dir="auto">
                        {h}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {info.preview.map((r) => (
                    <Table.Tr key={r.line}>
                      <Table.Td>{r.line}</Table.Td>
                      {r.cells.map((cell, i) => (
                        <Table.Td key={i} dir="auto">
                          {cell}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        )}
      </Section>

      {info && (
        <Section title="2. Columns to fields" testId="import-mapping">
          <Text size="sm" c="dimmed">
            Guessed from the column names; change any of them. Columns left “not imported” are listed in the check.
          </Text>
          <SimpleGrid cols={{ base: 2, md: 3 }}>
            {info.headers.map((h, i) => (
              <Select
                key={h}
                label={h}
                data={fieldOptions}
                value={mapping[h] ?? ''}
                onChange={(v) => {
                  setMapping((m) => ({ ...m, [h]: (v ?? '') as ImportField | '' }));
                  setCheck(undefined);
                }}
                allowDeselect={false}
                data-testid={`map-${i}`}
              />
            ))}
          </SimpleGrid>
          <Group align="end">
            <TextInput label="Save this mapping as" placeholder="e.g. Government class list" value={mappingName} onChange={(e) => setMappingName(e.currentTarget.value)} />
            <Button variant="default" onClick={() => void saveMapping()} disabled={!mappingName.trim()}>
              Save mapping
            </Button>
          </Group>
          {notice && (
            <Text size="sm" c="teal" role="status">
              {notice}
            </Text>
          )}
          <Group>
            <Button onClick={() => void runCheck()} loading={busy === 'check'} data-testid="import-check">
              Check every row
            </Button>
          </Group>
        </Section>
      )}

      {check && c && (
        <Section title="3. What the import would do" testId="import-report">
          <Group gap="xs">
            <Badge color="teal" variant="light">{c.create} new</Badge>
            <Badge color="blue" variant="light">{c.update} updated</Badge>
            <Badge color="gray" variant="light">{c.unchanged} unchanged</Badge>
            <Badge color="orange" variant="light">{c.held} held for review</Badge>
            <Badge color="red" variant="light">{c.rejected} rejected</Badge>
            {c.skipped + c.empty > 0 && <Badge color="gray" variant="outline">{c.skipped + c.empty} skipped (empty or repeated header)</Badge>}
          </Group>
          {check.dateQuestions.map((q) => (
            <Alert key={q.field} color="yellow" title={`Column “${q.column}”: day or month first?`}>
              <Stack gap={6}>
                <Text size="sm">Its dates read either way ({q.samples.join(', ')}). Say once how this file writes them:</Text>
                <Select
                  data={[{ value: 'mdy', label: 'Month first (MM/DD/YYYY)' }, { value: 'dmy', label: 'Day first (DD/MM/YYYY)' }]}
                  value={orders[q.field] ?? null}
                  onChange={(v) => setOrders((o) => ({ ...o, [q.field]: v as Order }))}
                  w={280}
                  data-testid={`date-order-${q.field}`}
                />
              </Stack>
            </Alert>
          ))}
          {check.unmapped.length > 0 && <Text size="sm" c="dimmed">Not imported: {check.unmapped.join(', ')}</Text>}
          {check.facilitiesToCreate.length > 0 && (
            <Text size="sm">New facilities: {check.facilitiesToCreate.map((f) => f.name).join(', ')}</Text>
          )}
          {check.rejected.length > 0 && (
            <Table withTableBorder fz="sm" data-testid="import-rejected">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Row</Table.Th>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>Column</Table.Th>
                  <Table.Th>Problem</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {check.rejected.slice(0, 200).flatMap((r) =>
                  r.issues.map((i, k) => (
                    <Table.Tr key={`${r.line}-${k}`}>
                      <Table.Td>{r.line}</Table.Td>
                      <Table.Td dir="auto">{r.label.slice(0, 60)}</Table.Td>
                      <Table.Td>{i.column || FIELD_LABELS[i.field as ImportField] || i.field}</Table.Td>
                      <Table.Td>{i.message.slice(0, 300)}</Table.Td>
                    </Table.Tr>
                  )),
                )}
              </Table.Tbody>
            </Table>
          )}
          {check.held.map((h) => (
            <Text key={h.line} size="sm" c="orange.8">
              Row {h.line}, {h.label}: no A-number, and Attest has {h.similar.map((s) => `${s.name} (${s.filingCode})`).join(', ')}. Add the A-number in the file, or enter the person by hand.
            </Text>
          ))}
          {check.updates.length > 0 && (
            <Text size="sm">
              Updates: {check.updates.slice(0, 20).map((u) => `${u.label} (${u.fields.join(', ')})`).join('; ')}
              {check.updates.length > 20 ? '…' : ''}
            </Text>
          )}
          {problems > 0 && (
            <Group>
              <Button variant="default" onClick={() => void exportRejected()}>
                Save the rejected rows as CSV
              </Button>
              {rejectedFile && <Text size="sm">{rejectedFile}</Text>}
            </Group>
          )}
          <Group>
            {problems > 0 && (
              <Checkbox label={`Import the valid rows only (${problems === 1 ? 'the 1 other row stays' : `the ${problems} other rows stay`} out)`} checked={validOnly} onChange={(e) => setValidOnly(e.currentTarget.checked)} data-testid="import-valid-only" />
            )}
            <Button
              onClick={() => void runImport()}
              loading={busy === 'import'}
              disabled={check.dateQuestions.some((q) => !orders[q.field]) || (problems > 0 && !validOnly) || c.create + c.update === 0}
              data-testid="import-run"
            >
              Import {c.create + c.update} rows
            </Button>
          </Group>
        </Section>
      )}

      {busy && (busy === 'check' || busy === 'import') && job.event && <JobProgress event={job.event} label={busy === 'check' ? 'Rows checked' : 'Rows written'} onCancel={() => void job.cancel()} />}
      <ErrorNote message={error} title="Not imported" />
      {result && (
        <Alert color="teal" title="Imported" data-testid="import-result">
          <Stack gap={4}>
            <Text size="sm">
              {result.counts.create} created, {result.counts.update} updated, {result.counts.unchanged} unchanged, {result.counts.held} held for review, {result.counts.rejected} rejected.
            </Text>
            {result.facilitiesCreated.length > 0 && <Text size="sm">Facilities created: {result.facilitiesCreated.map((f) => f.name).join(', ')}</Text>}
            {result.updated.slice(0, 20).map((u) => (
              <Text key={u.id} size="sm">
                Row {u.line}: {u.label}: {u.fields.join(', ')}
              </Text>
            ))}
            <Text size="xs" c="dimmed">Every version written records: {result.reason}</Text>
            <Group>
              <Button variant="default" onClick={() => nav.go({ page: 'people' })}>
                Back to People
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
