import { Badge, Blockquote, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useEffect, useState } from 'react';
import type { Incident } from '../../../../shared/schemas';
import { CATEGORIES, INCIDENT_STATUS_LABELS, INTERVIEW_MODE_LABELS } from '../../../../shared/vocab';
import { call, formSummary, pathErrors } from '../../api/client';
import { ErrorNote, Field, PageHeader, Section } from '../../ui/components';
import { IncidentFields } from './incident-form';
import { emptyIncident, incidentInput, incidentToValues, INCIDENT_RENAME, type IncidentValues } from './incident-values';
import { fieldLabel, formatField, formatMinutes, INCIDENT_FIELDS, staffLine } from '../../ui/labels';
import { useFacilities, usePersonNames } from '../../api/lookups';
import { useNav } from '../../ui/nav';
import { formatDateTime, yesNo } from '../../ui/format';
import { HistoryDrawer } from '../../ui/history-drawer';
import { KeptEditNotice, useEditDraft, type EditStart } from '../../ui/edit-draft';
import { RecordWriteModal, type RecordWrite } from '../../ui/reason-modal';


/** An interview as a person names it: "Interview of 2026-06-20 (In person), Dana Whitfield". */
function interviewTitle(v: { startedAt: string; mode: string; interviewer: string }): string {
  const mode = INTERVIEW_MODE_LABELS[v.mode as keyof typeof INTERVIEW_MODE_LABELS] ?? v.mode;
  return `Interview of ${v.startedAt.slice(0, 10)} (${mode}), ${v.interviewer}`;
}

export function IncidentPage({ id }: { id: string }) {
  const nav = useNav();
  const [incident, setIncident] = useState<Incident>();
  const [error, setError] = useState<string>();
  const [write, setWrite] = useState<RecordWrite | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const facilities = useFacilities();
  const form = useForm<IncidentValues>({ initialValues: emptyIncident() });
  // Where the edit in progress started (null: not editing); a change away from it is kept as a
  // draft while the user types.
  const [editFrom, setEditFrom] = useState<EditStart | null>(null);
  const editing = editFrom !== null;
  const draft = useEditDraft(`incident.${id}`, 'incident', form.values, editFrom);
  const names = usePersonNames(incident ? [incident.personId, ...incident.witnesses.flatMap((w) => (w.personId ? [w.personId] : []))] : []);

  // The source interview by its day and interviewer, for the history (never a bare id).
  const [interviewName, setInterviewName] = useState<{ id: string; name: string }>();
  const load = useCallback(async () => {
    const r = await call('incidents:get', { id });
    if (r.ok) setIncident(r.data);
    else setError(r.error.message);
    if (r.ok && r.data.interviewId) {
      const v = await call('interviews:get', { id: r.data.interviewId });
      if (v.ok) setInterviewName({ id: v.data.id, name: interviewTitle(v.data) });
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!incident) {
    return error ? <ErrorNote message={error} title="Could not open" /> : <Loader size="sm" />;
  }
  const person = names(incident.personId);
  const facility = facilities.find((f) => f.id === incident.facilityId);
  const fmt = formatField(
    (x) => names(x) ?? facilities.find((f) => f.id === x)?.name ?? (interviewName?.id === x ? interviewName.name : undefined),
  );

  const doWrite = async (kind: RecordWrite, reason: string): Promise<string | undefined> => {
    const guard = { id: incident.id, expectedVersion: incident.version, reason: reason || null };
    const r =
      kind === 'edit'
        ? await call('incidents:update', {
            ...incidentInput(form.values),
            personId: incident.personId,
            interviewId: incident.interviewId,
            ...guard,
          })
        : kind === 'delete'
          ? await call('incidents:delete', guard)
          : await call('incidents:restore', guard);
    if (!r.ok) {
      if (kind === 'edit') form.setErrors(pathErrors(r.error.issues, INCIDENT_RENAME));
      if (r.error.code === 'CONFLICT') return `${r.error.message}. Someone changed it meanwhile: close, reopen and edit again.`;
      return formSummary(r.error, fieldLabel(INCIDENT_FIELDS));
    }
    setIncident(r.data);
    if (kind === 'edit') {
      setEditFrom(null);
      await draft.discard();
    }
    return undefined;
  };
  const startEditing = (values: IncidentValues, baseVersion: number) => {
    form.setValues(values);
    form.clearErrors();
    setEditFrom({ json: JSON.stringify(incidentToValues(incident)), version: baseVersion });
  };

  const when =
    (incident.datePrecision === 'approximate' ? 'About ' : '') +
    (incident.datePrecision === 'month' ? incident.occurredOn.slice(0, 7) : incident.occurredOn) +
    (incident.occurredUntil ? ` to ${incident.datePrecision === 'month' ? incident.occurredUntil.slice(0, 7) : incident.occurredUntil}` : '');

  return (
    <Stack gap="md" data-testid="incident-page">
      <PageHeader
        crumbs={[
          { label: 'Incidents', onClick: () => nav.go({ page: 'incidents' }) },
          ...(person ? [{ label: person, onClick: () => nav.go({ page: 'person', id: incident.personId }) }] : []),
        ]}
        title={incident.categories.map((c) => CATEGORIES[c].label).join(' · ')}
        badge={
          <Group gap={6}>
            <Badge variant="light" color={incident.status === 'verified' ? 'teal' : incident.status === 'excluded' ? 'gray' : 'blue'}>
              {INCIDENT_STATUS_LABELS[incident.status]}
            </Badge>
            {incident.deletedAt && (
              <Badge color="red" data-testid="deleted-badge">
                Deleted
              </Badge>
            )}
          </Group>
        }
        description={`${when} · ${facility?.name ?? ''} · version ${incident.version}, last changed ${formatDateTime(incident.updatedAt)}`}
        actions={
          !editing && (
            <>
              <Button variant="default" onClick={() => setHistoryOpen(true)} data-testid="show-history">
                History
              </Button>
              {incident.deletedAt ? (
                <Button variant="light" onClick={() => setWrite('restore')} data-testid="restore">
                  Restore
                </Button>
              ) : (
                <>
                  <Button variant="default" color="red" onClick={() => setWrite('delete')} data-testid="delete">
                    Delete
                  </Button>
                  <Button onClick={() => startEditing(incidentToValues(incident), incident.version)} data-testid="edit">
                    Edit
                  </Button>
                </>
              )}
            </>
          )
        }
      />
      {incident.deletedAt && (
        <Paper withBorder p="sm" bg="red.0" radius="md">
          <Text size="sm">
            Deleted {formatDateTime(incident.deletedAt)}. It is kept, with its history, and left out of lists and reports
            until restored.
          </Text>
        </Paper>
      )}
      {!editing && draft.kept && !incident.deletedAt && (
        <KeptEditNotice
          noun="incident"
          kept={draft.kept}
          version={incident.version}
          onDiscard={() => void draft.discard()}
          onContinue={() => draft.kept && startEditing({ ...incidentToValues(incident), ...draft.kept.values }, draft.kept.baseVersion)}
        />
      )}
      {editing ? (
        <Section title="Edit incident" testId="incident-edit">
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setWrite('edit');
            }}
          >
            <Stack gap="md">
              <IncidentFields form={form} personId={incident.personId} />
              <Group justify="flex-end">
                <Button
                  variant="default"
                  onClick={() => {
                    setEditFrom(null);
                    void draft.discard();
                  }}
                >
                  Cancel
                </Button>
                <Button type="submit">Save changes…</Button>
              </Group>
            </Stack>
          </form>
        </Section>
      ) : (
        <>
          <Section title="What happened">
            <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }} data-testid="incident-summary">
              {incident.summary}
            </Text>
            {incident.ownWords && (
              <Blockquote color="indigo" p="md" dir="auto" data-testid="incident-own-words" style={{ whiteSpace: 'pre-wrap' }}>
                <Text size="xs" c="dimmed" mb={4} dir="ltr">
                  In their own words
                </Text>
                <Text size="md" dir="auto">
                  {incident.ownWords}
                </Text>
              </Blockquote>
            )}
          </Section>
          <Section title="Details">
            <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="lg" verticalSpacing="md">
              <Field label="Person">{person}</Field>
              <Field label="Facility">{facility ? `${facility.name} (${facility.city}, ${facility.state})` : ''}</Field>
              <Field label="When">{when}</Field>
              <Field label="Categories">
                {incident.categories.map((c) => `${CATEGORIES[c].label} — ${CATEGORIES[c].standard || 'no standard'}`).join('\n')}
              </Field>
              <Field label="Staff involved">{incident.staffInvolved.map(staffLine).join('\n')}</Field>
              <Field label="Witnesses">{fmt('witnesses', incident.witnesses)}</Field>
              <Field label="Deprivation lasted">{formatMinutes(incident.deprivationMinutes)}</Field>
              <Field label="Document pressed to sign">
                {incident.documentPressed
                  ? `${fmt('documentPressed', incident.documentPressed)}${incident.documentOther ? `: ${incident.documentOther}` : ''} — signed: ${yesNo(incident.documentSigned) || 'unknown'}`
                  : 'None'}
              </Field>
              <Field label="Counsel present">{yesNo(incident.counselPresent) || 'Unknown'}</Field>
              <Field label="Grievance">
                {incident.grievanceFiled ? `Filed${incident.grievanceAnswer ? ` — answer: ${incident.grievanceAnswer}` : ''}` : 'Not filed'}
              </Field>
              <Field label="Corroboration">{incident.corroboration}</Field>
              <Field label="Raised with opposing counsel">{incident.raisedWithOpposingCounselOn}</Field>
              <Field label="Include in report">{incident.includeInReport ? 'Yes' : 'No'}</Field>
              <Field label="Source interview">
                {incident.interviewId ? (
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    px={0}
                    onClick={() => nav.go({ page: 'interview', interviewId: incident.interviewId! })}
                  >
                    Open the interview
                  </Button>
                ) : (
                  ''
                )}
              </Field>
              <Field label="Entered">{formatDateTime(incident.createdAt)}</Field>
            </SimpleGrid>
          </Section>
        </>
      )}
      <RecordWriteModal write={write} noun="incident" onClose={() => setWrite(null)} onConfirm={doWrite} />
      <HistoryDrawer
        opened={historyOpen}
        onClose={() => setHistoryOpen(false)}
        title="Incident history"
        load={() => call('incidents:history', { id: incident.id })}
        label={fieldLabel(INCIDENT_FIELDS)}
        format={fmt}
        order={Object.keys(INCIDENT_FIELDS)}
      />
      <Title order={6} c="dimmed" fw={400} size="xs">
        Record {incident.id}
      </Title>
    </Stack>
  );
}
