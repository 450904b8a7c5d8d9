import {
  Badge,
  Button,
  Checkbox,
  Grid,
  Group,
  MultiSelect,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import { columnLabel } from '../../../../shared/report/columns';
import { DEFAULT_LOG_COLUMNS, LOG_COLUMNS, type LogColumn, type ReportDefinitionInput, type ReviewDecision } from '../../../../shared/report/definition';
import { CATEGORIES, CATEGORY_CODES, INCIDENT_STATUSES, type CategoryCode } from '../../../../shared/vocab';
import { useJob } from '../../api/use-job';
import { JobProgress } from '../../ui/job-progress';
import { call } from '../../api/client';
import { Empty, ErrorNote, FormStatus, Section } from '../../ui/components';
import { useList } from '../../api/use-list';
import { OfficeSettingsPanel, type OfficeSettings } from './office-settings';
import { BundlePanel } from './bundle-panel';
import { RedactionReviewPanel, useRedactionReview } from './redaction-review';

type Profile = 'public' | 'sealed' | 'internal';
type Format = 'pdf' | 'docx' | 'xlsx' | 'csv' | 'html';
type Preview = ChannelOutput<'reports:preview'>;

interface Draft {
  name: string;
  exhibitLabel: string;
  title: string;
  court: string;
  division: string;
  caseName: string;
  parties: string;
  caseNumber: string;
  judge: string;
  magistrateJudge: string;
  classAction: boolean;
  periodFrom: string;
  periodTo: string;
  profile: Profile;
  consentOnly: boolean;
  includedOnly: boolean;
  categories: string[];
  facilityIds: string[];
  statuses: string[];
  columns: string[];
  sort: 'date' | 'facility' | 'filingCode';
  methodNote: string;
  attorney: string;
  barNumber: string;
  firm: string;
  address: string;
  email: string;
  phone: string;
  /** Choices of the redaction review. */
  review: ReviewDecision[];
}

/** A new definition, dated from today (asked each time: the app stays open for days). */
function emptyDraft(): Draft {
  const today = new Date().toISOString().slice(0, 10);
  return {
    name: 'Status report',
    exhibitLabel: 'Exhibit A',
    title: 'Status report: incidents reported by class members',
    court: 'UNITED STATES DISTRICT COURT',
    division: 'EASTERN DISTRICT OF MICHIGAN, SOUTHERN DIVISION',
    caseName: '',
    parties: 'Petitioners-Plaintiffs,\nv.\nRespondents-Defendants.',
    caseNumber: '',
    judge: '',
    magistrateJudge: '',
    classAction: true,
    periodFrom: `${today.slice(0, 8)}01`,
    periodTo: today,
    profile: 'public',
    consentOnly: true,
    includedOnly: true,
    categories: [],
    facilityIds: [],
    statuses: ['new', 'verified'],
    columns: [...DEFAULT_LOG_COLUMNS],
    sort: 'date',
    methodNote: '',
    attorney: '',
    barNumber: '',
    firm: '',
    address: '',
    email: '',
    phone: '',
    review: [],
  };
}

const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);

const DRAFT_KEY = 'report-builder';
interface BuilderDraft {
  v: 1;
  draft: Draft;
  saved: { id: string; version: number } | null;
}

/** A kept draft, if it has the shape this version of the builder writes. */
function asBuilderDraft(x: unknown): BuilderDraft | null {
  if (!x || typeof x !== 'object') return null;
  const d = x as Partial<BuilderDraft>;
  if (d.v !== 1 || !d.draft || typeof d.draft !== 'object') return null;
  const empty = emptyDraft();
  const draft = { ...empty, ...d.draft };
  for (const k of Object.keys(empty) as (keyof Draft)[]) if (typeof draft[k] !== typeof empty[k]) return null;
  return { v: 1, draft, saved: d.saved && typeof d.saved.id === 'string' && typeof d.saved.version === 'number' ? d.saved : null };
}

type CaptionOut = ChannelOutput<'reports:get'>['definition']['caption'];
type SignatureOut = ChannelOutput<'reports:get'>['definition']['signature'];

/** The caption's fields of the form, from a stored caption (a definition's or the office default). */
function captionFields(c: CaptionOut): Pick<Draft, 'court' | 'division' | 'caseName' | 'parties' | 'caseNumber' | 'judge' | 'magistrateJudge' | 'classAction'> {
  return { court: c.court, division: c.division, caseName: c.caseName, parties: c.parties.join('\n'), caseNumber: c.caseNumber, judge: c.judge, magistrateJudge: c.magistrateJudge, classAction: c.classAction };
}

/** The signature block's fields of the form, from a stored signature block. */
function signatureFields(g: SignatureOut): Pick<Draft, 'attorney' | 'barNumber' | 'firm' | 'address' | 'email' | 'phone'> {
  return { attorney: g.attorney, barNumber: g.barNumber, firm: g.firm, address: g.address.join('\n'), email: g.email, phone: g.phone };
}

/** A new draft takes the office's default caption and signature, where the office has set them. */
function withOfficeDefaults(d: Draft, s: OfficeSettings): Draft {
  return { ...d, ...(s.caption && captionFields(s.caption)), ...(s.signature && signatureFields(s.signature)) };
}

function toDefinition(d: Draft): ReportDefinitionInput {
  return {
    name: d.name,
    caption: {
      court: d.court,
      division: d.division,
      caseName: d.caseName,
      parties: lines(d.parties),
      caseNumber: d.caseNumber,
      judge: d.judge,
      magistrateJudge: d.magistrateJudge,
      classAction: d.classAction,
    },
    title: d.title,
    exhibitLabel: d.exhibitLabel,
    periodFrom: d.periodFrom,
    periodTo: d.periodTo,
    filters: {
      facilityIds: d.facilityIds,
      categories: d.categories as CategoryCode[],
      statuses: d.statuses as ('new' | 'verified' | 'excluded')[],
      consentOnly: d.consentOnly,
      includedOnly: d.includedOnly,
    },
    profile: d.profile,
    columns: d.columns as LogColumn[],
    sort: d.sort,
    methodNote: d.methodNote,
    signature: { attorney: d.attorney, barNumber: d.barNumber, firm: d.firm, address: lines(d.address), email: d.email, phone: d.phone, dated: '', role: '' },
    review: d.review,
  };
}

function fromDefinition(def: ChannelOutput<'reports:get'>['definition']): Draft {
  return {
    name: def.name,
    exhibitLabel: def.exhibitLabel,
    title: def.title,
    ...captionFields(def.caption),
    periodFrom: def.periodFrom,
    periodTo: def.periodTo,
    profile: def.profile,
    consentOnly: def.filters.consentOnly,
    includedOnly: def.filters.includedOnly,
    categories: def.filters.categories,
    facilityIds: def.filters.facilityIds,
    statuses: def.filters.statuses,
    columns: def.columns,
    sort: def.sort,
    methodNote: def.methodNote,
    ...signatureFields(def.signature),
    review: def.review ?? [],
  };
}

const EXCLUSION_LABELS: Record<string, string> = {
  notIncluded: 'not marked for reports',
  status: 'status outside the report',
  consent: 'without consent',
  facility: 'other facilities',
  category: 'other categories',
};

export function ReportsPage() {
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [saved, setSaved] = useState<{ id: string; version: number } | null>(null);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [preview, setPreview] = useState<Preview>();
  const [previewError, setPreviewError] = useState<string>();
  const [selectedCell, setSelectedCell] = useState<string>();
  const [settings, setSettings] = useState<OfficeSettings>();
  const definitions = useList('reports:list', {});
  const facilities = useList('facilities:list', { limit: 500, offset: 0 });
  // Once the user has typed or loaded a definition, the office defaults arriving late must not overwrite it.
  const touched = useRef(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    touched.current = true;
    setDraft((d) => ({ ...d, [k]: v }));
  };
  const text = (k: keyof Draft, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} value={draft[k] as string} onChange={(e) => set(k, e.currentTarget.value as never)} {...extra} />
  );

  // Live preview: rebuilt from the records shortly after each change.
  const definition = useMemo(() => toDefinition(draft), [draft]);
  const review = useRedactionReview(definition, draft.profile === 'public');
  // On opening: the unsaved definition from last time if there is one (kept as the user types, so a
  // crash loses nothing), else a new one from the office defaults.
  useEffect(() => {
    void (async () => {
      const [d, r] = await Promise.all([call('drafts:get', { key: DRAFT_KEY }), call('reports:settings', {})]);
      if (r.ok) setSettings(r.data);
      const kept = d.ok && d.data ? { ...asBuilderDraft(d.data.data), savedAt: d.data.savedAt } : null;
      if (kept?.draft && !touched.current) {
        setDraft(kept.draft);
        setSaved(kept.saved ?? null);
        setNotice(`Unsaved changes restored (kept ${new Date(kept.savedAt).toLocaleString()})`);
        return;
      }
      if (r.ok && !touched.current) setDraft((x) => withOfficeDefaults(x, r.data));
    })();
  }, []);
  const keepDraft = useDebouncedCallback(
    (data: BuilderDraft) => {
      void call('drafts:save', { key: DRAFT_KEY, kind: 'other', data });
    },
    { delay: 400, flushOnUnmount: true },
  );
  useEffect(() => {
    if (touched.current) keepDraft({ v: 1, draft, saved });
  }, [draft, saved, keepDraft]);
  const dropDraft = async () => {
    keepDraft.cancel();
    touched.current = false;
    await call('drafts:discard', { key: DRAFT_KEY });
  };
  const startNew = async () => {
    await dropDraft();
    setDraft(settings ? withOfficeDefaults(emptyDraft(), settings) : emptyDraft());
    setSaved(null);
    setError(undefined);
    setNotice('New definition');
  };
  useEffect(() => {
    const t = setTimeout(async () => {
      const r = await call('reports:preview', { definition });
      if (r.ok) {
        setPreview(r.data);
        setPreviewError(undefined);
      } else setPreviewError(r.error.message);
    }, 300);
    return () => clearTimeout(t);
  }, [definition, settings]);

  const save = async (asNew: boolean) => {
    const r = await call('reports:save', asNew || !saved ? { definition } : { id: saved.id, expectedVersion: saved.version, definition });
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setError(undefined);
    setSaved({ id: r.data.id, version: r.data.version });
    await dropDraft();
    setNotice(`Saved "${r.data.name}", version ${r.data.version}`);
    await definitions.reload();
  };

  const load = async (id: string | null) => {
    if (!id) return;
    const r = await call('reports:get', { id });
    if (!r.ok) return setError(r.error.message);
    await dropDraft();
    setDraft(fromDefinition(r.data.definition));
    setSaved({ id: r.data.id, version: r.data.version });
    setNotice(`Loaded "${r.data.name}", version ${r.data.version}`);
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Stack>
          <Section title="Report definition" testId="report-builder">
            <Select
              label="Saved definitions"
              placeholder={definitions.data?.items.length ? 'Load a saved definition' : 'None saved yet'}
              data={(definitions.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.name} (v${d.version})` }))}
              value={saved?.id ?? null}
              onChange={(v) => void load(v)}
            />
            <SimpleGrid cols={2}>
              {text('name', 'Definition name')}
              {text('exhibitLabel', 'Exhibit label')}
            </SimpleGrid>
            {text('title', 'Title')}
            <SimpleGrid cols={2}>
              <TextInput type="date" label="Period from" value={draft.periodFrom} onChange={(e) => set('periodFrom', e.currentTarget.value)} />
              <TextInput type="date" label="Period to" value={draft.periodTo} onChange={(e) => set('periodTo', e.currentTarget.value)} />
            </SimpleGrid>
            <Text fw={600} size="sm">
              Caption
            </Text>
            {text('court', 'Court')}
            {text('division', 'Division')}
            {text('caseName', 'Case name', { placeholder: 'HAMAMA, et al.,' })}
            <Textarea label="Party lines" description="One per line" autosize minRows={3} value={draft.parties} onChange={(e) => set('parties', e.currentTarget.value)} />
            <SimpleGrid cols={3}>
              {text('caseNumber', 'Case number')}
              {text('judge', 'Judge')}
              {text('magistrateJudge', 'Magistrate judge')}
            </SimpleGrid>
            <Checkbox label='"Class Action" line' checked={draft.classAction} onChange={(e) => set('classAction', e.currentTarget.checked)} />
            <Text fw={600} size="sm">
              What goes in
            </Text>
            <SegmentedControl
              aria-label="Redaction profile"
              data={[
                { value: 'public', label: 'Public docket' },
                { value: 'sealed', label: 'Sealed' },
                { value: 'internal', label: 'Internal' },
              ]}
              value={draft.profile}
              onChange={(v) => set('profile', v as Profile)}
            />
            <Group>
              <Checkbox label="Only people who consented" checked={draft.consentOnly} onChange={(e) => set('consentOnly', e.currentTarget.checked)} />
              <Checkbox label="Only incidents marked for reports" checked={draft.includedOnly} onChange={(e) => set('includedOnly', e.currentTarget.checked)} />
            </Group>
            <MultiSelect
              label="Facilities"
              placeholder="All facilities"
              data={(facilities.data?.items ?? []).map((f) => ({ value: f.id, label: `${f.name} (${f.city}, ${f.state})` }))}
              value={draft.facilityIds}
              onChange={(v) => set('facilityIds', v)}
            />
            <MultiSelect
              label="Categories"
              placeholder="All categories"
              data={CATEGORY_CODES.map((c) => ({ value: c, label: CATEGORIES[c].label }))}
              value={draft.categories}
              onChange={(v) => set('categories', v)}
            />
            <MultiSelect label="Statuses" data={[...INCIDENT_STATUSES]} value={draft.statuses} onChange={(v) => set('statuses', v)} />
            <MultiSelect
              label="Incident log columns"
              data={LOG_COLUMNS.map((c) => ({ value: c, label: columnLabel(c, 'sealed') }))}
              value={draft.columns}
              onChange={(v) => set('columns', v)}
            />
            <Select
              label="Sort the log by"
              data={[
                { value: 'date', label: 'Date' },
                { value: 'facility', label: 'Facility' },
                { value: 'filingCode', label: 'Filing code' },
              ]}
              value={draft.sort}
              onChange={(v) => v && set('sort', v as Draft['sort'])}
            />
            <Textarea
              label="Method note"
              description="Sources, definitions; the app adds the counting rule, exclusions and redaction"
              autosize
              minRows={2}
              value={draft.methodNote}
              onChange={(e) => set('methodNote', e.currentTarget.value)}
            />
            <Text fw={600} size="sm">
              Signature block
            </Text>
            <SimpleGrid cols={2}>
              {text('attorney', 'Attorney')}
              {text('barNumber', 'Bar number')}
              {text('firm', 'Firm or organisation')}
              {text('email', 'E-mail')}
              {text('phone', 'Phone')}
            </SimpleGrid>
            <Textarea label="Address" autosize minRows={2} value={draft.address} onChange={(e) => set('address', e.currentTarget.value)} />
            <FormStatus error={error} notice={notice} />
            <Group>
              <Button onClick={() => void save(false)}>{saved ? 'Save new version' : 'Save definition'}</Button>
              {saved && (
                <Button variant="default" onClick={() => void save(true)}>
                  Save as new definition
                </Button>
              )}
              <Button variant="subtle" onClick={() => void startNew()}>
                Start a new definition
              </Button>
            </Group>
          </Section>
          <ExportPanel definition={definition} savedId={saved?.id ?? null} unreviewed={draft.profile === 'public' ? review.review?.counts.unreviewed : undefined} />
          <BundlePanel definition={definition} savedId={saved?.id ?? null} />
          <OfficeSettingsPanel settings={settings} definition={definition} onSaved={setSettings} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Stack>
          {draft.profile === 'public' && <RedactionReviewPanel review={review.review} error={review.error} decisions={draft.review} onChange={(v) => set('review', v)} />}
          <Section title="Preview" testId="report-preview">
            {previewError && (
              <Text c="red" size="sm" role="alert">
                {previewError}
              </Text>
            )}
            {preview && (
              <>
                <Group gap="xs">
                  <Badge size="lg" variant="light" data-testid="preview-count">
                    {preview.incidents} incidents
                  </Badge>
                  {preview.exclusions.map((e) => (
                    <Badge key={e.reason} color="gray" variant="outline">
                      {e.count} {EXCLUSION_LABELS[e.reason] ?? e.reason}
                    </Badge>
                  ))}
                </Group>
                <SummaryGrid preview={preview} selected={selectedCell} onSelect={setSelectedCell} />
                {preview.logRowsShown < preview.incidents && (
                  <Text size="sm" c="dimmed" data-testid="preview-partial">
                    The preview's incident log shows its first {preview.logRowsShown.toLocaleString()} rows of{' '}
                    {preview.incidents.toLocaleString()}; the exported exhibit holds every row.
                  </Text>
                )}
                <iframe
                  title="Exhibit preview"
                  data-testid="preview-frame"
                  sandbox=""
                  srcDoc={preview.html}
                  style={{ width: '100%', height: 720, border: '1px solid var(--mantine-color-gray-4)', background: '#fff' }}
                />
              </>
            )}
          </Section>
          <PastExports />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

/** Table 1 as clickable counts: a click shows the incident rows behind the number. */
function SummaryGrid({ preview, selected, onSelect }: { preview: Preview; selected: string | undefined; onSelect: (k: string) => void }) {
  const s = preview.summary;
  if (!s.rows.length) return <Empty>No incident matches this definition.</Empty>;
  const cellFor = (key: string) => {
    const [r, c] = key.split(':');
    const row = r === 'total' ? null : s.rows[Number(r)];
    if (c === 'total') return row ? row.total : s.grandTotal;
    return row ? row.cells[Number(c)] : s.totals[Number(c)];
  };
  const chosen = selected ? cellFor(selected) : undefined;
  const btn = (key: string, count: number) => (
    <Button size="compact-sm" variant={selected === key ? 'filled' : 'subtle'} disabled={count === 0} onClick={() => onSelect(key)}>
      {count}
    </Button>
  );
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={500}>
        <Table withTableBorder withColumnBorders striped data-testid="summary-grid">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Facility</Table.Th>
              {s.categories.map((c) => (
                <Table.Th key={c.code} title={c.label}>
                  {c.short}
                </Table.Th>
              ))}
              <Table.Th>All</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.rows.map((r, i) => (
              <Table.Tr key={r.facilityId}>
                <Table.Td>{r.facility}</Table.Td>
                {r.cells.map((c, j) => (
                  <Table.Td key={j}>{btn(`${i}:${j}`, c.count)}</Table.Td>
                ))}
                <Table.Td>{btn(`${i}:total`, r.total.count)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td fw={700}>All facilities</Table.Td>
              {s.totals.map((c, j) => (
                <Table.Td key={j}>{btn(`total:${j}`, c.count)}</Table.Td>
              ))}
              <Table.Td>{btn('total:total', s.grandTotal.count)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {chosen && (
        <Text size="sm" data-testid="cell-rows">
          Rows behind this count: {chosen.rowIds.join(', ')}
        </Text>
      )}
    </Stack>
  );
}

function ExportPanel({ definition, savedId, unreviewed }: { definition: ReportDefinitionInput; savedId: string | null; unreviewed: number | undefined }) {
  const [formats, setFormats] = useState<Format[]>(['pdf', 'docx', 'xlsx', 'csv', 'html']);
  const [folder, setFolder] = useState('');
  const [bom, setBom] = useState(true);
  const [includeKey, setIncludeKey] = useState(true);
  const [strict, setStrict] = useState(false);
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
    const r = await call('reports:export', { ...(savedId ? { definitionId: savedId } : { definition }), formats, folder, bom, includeKey, strict, jobId });
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
      {progress && <JobProgress event={progress} label="Export progress" />}
      <ErrorNote message={error} />
      <Group>
        <Button onClick={() => void run()} loading={busy} disabled={!formats.length}>
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

function PastExports() {
  const list = useList('exports:list', { limit: 50, offset: 0 });
  const reload = list.reload;
  const [checks, setChecks] = useState<Record<string, string>>({});
  useEffect(() => {
    const t = setInterval(() => void reload(), 3000);
    return () => clearInterval(t);
  }, [reload]);
  const verify = async (exportId: string, name: string) => {
    const r = await call('exports:verify', { exportId, name });
    const k = `${exportId}/${name}`;
    setChecks((c) => ({ ...c, [k]: !r.ok ? r.error.message : !r.data.found ? 'missing' : r.data.matches ? 'matches' : 'CHANGED' }));
  };
  return (
    <Section title="Past exports" testId="past-exports">
      {!list.data?.items.length && <Empty>No export yet.</Empty>}
      {list.data?.items.map((e) => (
        <Stack key={e.id} gap={2}>
          <Text size="sm" fw={600}>
            {e.exhibitLabel} · {e.profile} · {e.periodFrom} to {e.periodTo} · {e.incidentCount} incidents · {e.generatedAt.replace('T', ' ').slice(0, 16)}
          </Text>
          <Table withRowBorders={false} verticalSpacing={2}>
            <Table.Tbody>
              {e.files.map((f) => {
                const k = `${e.id}/${f.name}`;
                const state = checks[k];
                return (
                  <Table.Tr key={f.name}>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {f.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="default" onClick={() => void verify(e.id, f.name)} aria-label={`Verify ${f.name}`}>
                        Verify
                      </Button>
                    </Table.Td>
                    <Table.Td>
                      {state && (
                        <Badge color={state === 'matches' ? 'teal' : 'red'} data-testid="verify-result">
                          {state}
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Stack>
      ))}
    </Section>
  );
}
