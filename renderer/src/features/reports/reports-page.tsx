import { Badge, Button, Checkbox, Grid, Group, MultiSelect, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { columnLabel } from '../../../../shared/report/columns';
import { LOG_COLUMNS } from '../../../../shared/report/definition';
import { CATEGORIES, CATEGORY_CODES, INCIDENT_STATUSES } from '../../../../shared/vocab';
import { call } from '../../api/client';
import { FormStatus, Section } from '../../ui/components';
import { useList } from '../../api/use-list';
import { asBuilderDraft, DRAFT_KEY, emptyDraft, fromDefinition, toDefinition, withOfficeDefaults, type BuilderDraft, type Draft, type Preview, type Profile } from './draft';
import { ExportPanel } from './export-panel';
import { OfficeSettingsPanel, type OfficeSettings } from './office-settings';
import { PastExports } from './past-exports';
import { BundlePanel } from './bundle-panel';
import { RedactionReviewPanel, useRedactionReview } from './redaction-review';
import { previewNote } from './period';
import { SummaryGrid } from './summary-grid';

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
      } else setPreviewError(previewNote(r.error));
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
    // Side by side at every supported width: the preview is a pane that stays in view (and scrolls
    // on its own) while the definition form beside it scrolls with the page.
    <Grid gap="lg">
      <Grid.Col span={{ base: 6, lg: 5 }}>
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
          <ExportPanel definition={definition} savedId={saved?.id ?? null} unreviewed={draft.profile === 'public' ? review.review?.counts.unreviewed : undefined} conflicts={preview?.conflicts ?? []} />
          <BundlePanel definition={definition} savedId={saved?.id ?? null} conflicts={preview?.conflicts?.length ?? 0} />
          <OfficeSettingsPanel settings={settings} definition={definition} onSaved={setSettings} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 6, lg: 7 }}>
        <Stack className="side-pane" role="region" tabIndex={0} aria-label="Report preview" data-testid="preview-pane">
          <Section title="Preview" testId="report-preview">
            {previewError && (
              <Text c="dimmed" size="sm" role="status" data-testid="preview-note">
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
                <SummaryGrid preview={preview} definition={definition} selected={selectedCell} onSelect={setSelectedCell} />
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
          {/* The review comes after the preview: the pane opens on the exhibit as it stands. */}
          {draft.profile === 'public' && <RedactionReviewPanel review={review.review} error={review.error} decisions={draft.review} onChange={(v) => set('review', v)} />}
          <PastExports />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
