import { Alert, Anchor, Badge, Button, Group, Kbd, Loader, Menu, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedCallback } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatANumber } from '../../../../shared/a-number';
import type { IncidentRow, Interview, Person } from '../../../../shared/schemas';
import { INTERVIEW_MODE_LABELS } from '../../../../shared/vocab';
import { call, formSummary, pathErrors } from '../../api/client';
import { ErrorNote, Field, PageHeader, Section, useFormError } from '../../ui/components';
import { IncidentFields } from '../incidents/incident-form';
import {
  emptyIncident,
  incidentFormErrors,
  incidentInput,
  INCIDENT_RENAME,
  isBlankIncident,
  type IncidentValues,
} from '../incidents/incident-values';
import { emptyInterview, interviewInput, interviewToValues, InterviewFields, type InterviewValues } from './interview-form';
import { PersonForm, type PersonValues } from '../people/person-form';
import { PersonSearch } from '../people/person-search';
import { categoryLabel, fieldLabel, formatField, formatWhen, INCIDENT_FIELDS, INTERVIEW_FIELDS } from '../../ui/labels';
import { rememberPerson, useFacilities, usePersonNames } from '../../api/lookups';
import { useNav } from '../../ui/nav';
import { useSession } from '../session/session';
import { formatDateTime } from '../../ui/format';
import { HistoryDrawer } from '../../ui/history-drawer';
import { RecordWriteModal, type RecordWrite } from '../../ui/reason-modal';

/** Everything on the interview screen that is not yet saved, kept in the database as a draft. */
interface InterviewDraft {
  v: 1;
  personId: string | null;
  creatingPerson: boolean;
  personValues: PersonValues | null;
  interviewId: string | null;
  interviewValues: InterviewValues | null;
  incident: IncidentValues | null;
}

function draftKeyFor(interviewId: string | undefined): string {
  return interviewId ? `interview.${interviewId}` : 'interview.new';
}

export function InterviewPage({ personId, interviewId }: { personId?: string | undefined; interviewId?: string | undefined }) {
  const [start, setStart] = useState<{ draft: InterviewDraft | null; savedAt: string | null; person: Person | null; interview: Interview | null }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    void (async () => {
      const d = await call('drafts:get', { key: draftKeyFor(interviewId) });
      const draft = d.ok && d.data && isDraft(d.data.data) ? d.data.data : null;
      let interview: Interview | null = null;
      const ivId = interviewId ?? draft?.interviewId ?? null;
      if (ivId) {
        const r = await call('interviews:get', { id: ivId });
        if (r.ok) interview = r.data;
        else setError(r.error.message);
      }
      const pid = interview?.personId ?? draft?.personId ?? personId ?? null;
      let person: Person | null = null;
      if (pid) {
        const r = await call('people:get', { id: pid });
        if (r.ok) {
          person = r.data;
          rememberPerson(person);
        }
      }
      setStart({ draft, savedAt: draft && d.ok && d.data ? d.data.savedAt : null, person, interview });
    })();
  }, [personId, interviewId]);
  if (!start) {
    return (
      <Group justify="center" mt="xl">
        <Loader size="sm" />
        <ErrorNote message={error} title="Could not open" />
      </Group>
    );
  }
  return <Workspace draftKey={draftKeyFor(interviewId)} {...start} />;
}

function isDraft(d: unknown): d is InterviewDraft {
  return typeof d === 'object' && d !== null && (d as { v?: unknown }).v === 1;
}

function Workspace(props: {
  draftKey: string;
  draft: InterviewDraft | null;
  savedAt: string | null;
  person: Person | null;
  interview: Interview | null;
}) {
  const nav = useNav();
  const session = useSession();
  const [person, setPerson] = useState<Person | null>(props.person);
  const [creatingPerson, setCreatingPerson] = useState(props.draft?.creatingPerson ?? false);
  const [personValues, setPersonValues] = useState<PersonValues | null>(props.draft?.personValues ?? null);
  const [interview, setInterview] = useState<Interview | null>(props.interview);
  const [restoredAt, setRestoredAt] = useState<string | null>(props.savedAt);
  const [draftSavedAt, setDraftSavedAt] = useState<string | null>(null);
  const [incidents, setIncidents] = useState<IncidentRow[]>([]);
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState(false);
  const [reasonFor, setReasonFor] = useState<RecordWrite | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);
  // Bumped to put the cursor in the incident's first field once the screen has rendered.
  const [focusTick, setFocusTick] = useState(0);
  useEffect(() => {
    if (focusTick) firstField.current?.focus();
  }, [focusTick]);
  const facilities = useFacilities();

  const interviewForm = useForm<InterviewValues>({
    initialValues:
      props.draft?.interviewValues ??
      (props.interview ? interviewToValues(props.interview) : emptyInterview(session.name ?? '')),
  });
  const incidentForm = useForm<IncidentValues>({
    initialValues: props.draft?.incident ?? emptyIncident(props.person?.currentFacilityId ?? ''),
  });
  const [incidentError, setIncidentError] = useFormError(incidentForm.errors);

  // The interviewer defaults to whoever is working, once known.
  useEffect(() => {
    if (session.name && !interviewForm.values.interviewer) interviewForm.setFieldValue('interviewer', session.name);
  }, [session.name]);

  const reloadIncidents = useCallback(async (id: string) => {
    const r = await call('incidents:list', { interviewId: id, limit: 500, offset: 0, sort: 'createdAt', direction: 'asc' });
    if (r.ok) setIncidents(r.data.items);
  }, []);
  useEffect(() => {
    if (interview) void reloadIncidents(interview.id);
  }, [interview, reloadIncidents]);

  // ---- Draft: kept in the database as the user types, so a crash or a closed window loses nothing.
  // "Draft kept" shows only once the latest keystroke is in the database; until then "Saving…".
  const latest = useRef('');
  const [draftPending, setDraftPending] = useState(false);
  const saveDraft = useDebouncedCallback(
    async (json: string) => {
      const d = JSON.parse(json) as InterviewDraft;
      const blank =
        !d.personId && !d.creatingPerson && !d.interviewId && (!d.incident || isBlankIncident(d.incident));
      if (blank) {
        setDraftPending(false);
        return;
      }
      const r = await call('drafts:save', { key: props.draftKey, kind: 'interview', data: d });
      if (r.ok && latest.current === json) {
        setDraftSavedAt(r.data.savedAt);
        setDraftPending(false);
      }
    },
    { delay: 400, flushOnUnmount: true },
  );
  const draft: InterviewDraft = {
    v: 1,
    personId: person?.id ?? null,
    creatingPerson,
    personValues: creatingPerson ? personValues : null,
    interviewId: interview?.id ?? null,
    interviewValues: interview && !editing ? null : interviewForm.values,
    incident: interview ? incidentForm.values : null,
  };
  const draftJson = JSON.stringify(draft);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    latest.current = draftJson;
    setDraftPending(true);
    saveDraft(draftJson);
  }, [draftJson, saveDraft]);
  // Closing the window sends what is pending at once rather than waiting out the delay.
  useEffect(() => {
    const flush = () => saveDraft.flush();
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, [saveDraft]);

  const discardDraft = async () => {
    saveDraft.cancel();
    await call('drafts:discard', { key: props.draftKey });
  };

  // ---- Person
  const choosePerson = async (id: string) => {
    const r = await call('people:get', { id });
    if (!r.ok) return setError(r.error.message);
    rememberPerson(r.data);
    setPerson(r.data);
    setCreatingPerson(false);
    setPersonValues(null);
    if (!incidentForm.values.facilityId && r.data.currentFacilityId) incidentForm.setFieldValue('facilityId', r.data.currentFacilityId);
  };

  // ---- Interview
  const startInterview = interviewForm.onSubmit(async (values) => {
    if (!person) return;
    setSaving(true);
    const r = await call('interviews:create', { ...interviewInput(values), personId: person.id });
    setSaving(false);
    if (!r.ok) {
      interviewForm.setErrors(pathErrors(r.error.issues));
      setError(formSummary(r.error, fieldLabel(INTERVIEW_FIELDS)));
      return;
    }
    setError(undefined);
    setInterview(r.data);
    if (!incidentForm.values.facilityId && person.currentFacilityId) incidentForm.setFieldValue('facilityId', person.currentFacilityId);
    setFocusTick((t) => t + 1);
  });

  const writeInterview = async (kind: RecordWrite, reason: string): Promise<string | undefined> => {
    if (!interview) return undefined;
    const guard = { id: interview.id, expectedVersion: interview.version, reason: reason || null };
    const r =
      kind === 'edit'
        ? await call('interviews:update', { ...interviewInput(interviewForm.values), personId: interview.personId, ...guard })
        : kind === 'delete'
          ? await call('interviews:delete', guard)
          : await call('interviews:restore', guard);
    if (!r.ok) {
      if (kind === 'edit') interviewForm.setErrors(pathErrors(r.error.issues));
      return r.error.message;
    }
    setInterview(r.data);
    setEditing(false);
    return undefined;
  };

  // ---- Incidents: Ctrl+Enter saves and opens the next, focus back in the first field.
  const saveIncident = async () => {
    if (!person || !interview || saving) return;
    const missing = incidentFormErrors(incidentForm.values);
    if (Object.keys(missing).length) {
      incidentForm.setErrors(missing);
      setIncidentError(`Check ${Object.keys(missing).length === 1 ? 'this field' : 'these fields'}: ${Object.keys(missing).map(fieldLabel(INCIDENT_FIELDS)).join(', ')}.`, true);
      return;
    }
    setSaving(true);
    const r = await call('incidents:create', {
      ...incidentInput(incidentForm.values),
      personId: person.id,
      interviewId: interview.id,
    });
    setSaving(false);
    if (!r.ok) {
      incidentForm.setErrors(pathErrors(r.error.issues, INCIDENT_RENAME));
      setIncidentError(formSummary(r.error, fieldLabel(INCIDENT_FIELDS)), r.error.issues.some((i) => i.path.length > 0));
      return;
    }
    setIncidentError(undefined);
    const keepFacility = incidentForm.values.facilityId;
    incidentForm.setValues(emptyIncident(keepFacility));
    incidentForm.resetDirty();
    incidentForm.clearErrors();
    await reloadIncidents(interview.id);
    setFocusTick((t) => t + 1);
  };

  const finish = async () => {
    await discardDraft();
    if (person) nav.go({ page: 'person', id: person.id });
  };

  const startNewBlank = async () => {
    await discardDraft();
    setRestoredAt(null);
    setPerson(null);
    setInterview(null);
    setCreatingPerson(false);
    setPersonValues(null);
    interviewForm.setValues(emptyInterview(session.name ?? ''));
    incidentForm.setValues(emptyIncident());
    setIncidents([]);
  };

  const names = usePersonNames(interview ? [interview.personId] : []);
  const facilityName = (id: string) => facilities.find((f) => f.id === id)?.name;

  return (
    <Stack gap="md" data-testid="interview-page">
      <PageHeader
        title={interview ? `Interview with ${person ? `${person.givenName} ${person.familyName}` : '…'}` : 'New interview'}
        description="Pick or add the person, start the interview, then record each incident as it is told."
        badge={interview?.deletedAt ? <Badge color="red">Deleted</Badge> : null}
        actions={
          <>
            <Text size="xs" c="dimmed" data-testid="draft-status">
              {draftPending ? 'Saving draft…' : draftSavedAt ? `Draft kept ${formatDateTime(draftSavedAt)}` : ''}
            </Text>
            {interview && (
              <Button onClick={() => void finish()} data-testid="finish-interview">
                Finish interview
              </Button>
            )}
          </>
        }
      />
      {restoredAt && (
        <Alert color="blue" variant="light" title="Unsaved entry restored" data-testid="draft-restored" withCloseButton onClose={() => setRestoredAt(null)}>
          <Group justify="space-between">
            <Text size="sm">What was being typed at {formatDateTime(restoredAt)} is back, as it was left.</Text>
            <Button size="xs" variant="subtle" color="gray" onClick={() => void startNewBlank()}>
              Discard it and start over
            </Button>
          </Group>
        </Alert>
      )}
      <ErrorNote message={error} />

      {/* 1. Person */}
      <Section
        title="1 · Person"
        testId="interview-person"
        actions={
          person && !interview ? (
            <Button variant="subtle" size="xs" onClick={() => setPerson(null)}>
              Change person
            </Button>
          ) : null
        }
      >
        {person ? (
          <PersonSummary person={person} facility={person.currentFacilityId ? facilityName(person.currentFacilityId) : undefined} onOpen={() => nav.go({ page: 'person', id: person.id })} />
        ) : creatingPerson ? (
          <PersonForm
            testId="new-person-form"
            {...(personValues ? { initialValues: personValues } : {})}
            onValuesChange={setPersonValues}
            onSaved={(p) => {
              setPerson(p);
              setCreatingPerson(false);
              setPersonValues(null);
              if (p.currentFacilityId) incidentForm.setFieldValue('facilityId', p.currentFacilityId);
            }}
            onOpenPerson={(id) => nav.go({ page: 'person', id })}
            onUseExisting={(id) => void choosePerson(id)}
            onCancel={() => {
              setCreatingPerson(false);
              setPersonValues(null);
            }}
            submitLabel="Save person and continue"
          />
        ) : (
          <Group align="flex-end" gap="md">
            <PersonSearch
              label="Find the person"
              placeholder="Name in any script, A-number or CM code"
              w={480}
              value=""
              onChange={(id) => id && void choosePerson(id)}
              autoFocus
            />
            <Text c="dimmed" size="sm" mb={8}>
              or
            </Text>
            <Button variant="light" onClick={() => setCreatingPerson(true)} data-testid="new-person">
              Add a new person
            </Button>
          </Group>
        )}
      </Section>

      {/* 2. Interview */}
      {person && (
        <Section
          title="2 · Interview"
          testId="interview-details"
          actions={
            interview && !editing ? (
              <Group gap="xs">
                <Button variant="subtle" size="xs" onClick={() => setEditing(true)}>
                  Edit details
                </Button>
                <Menu position="bottom-end">
                  <Menu.Target>
                    <Button variant="subtle" size="xs" color="gray">
                      More
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item onClick={() => setHistoryOpen(true)}>History</Menu.Item>
                    {interview.deletedAt ? (
                      <Menu.Item onClick={() => setReasonFor('restore')}>Restore interview</Menu.Item>
                    ) : (
                      <Menu.Item color="red" onClick={() => setReasonFor('delete')}>
                        Delete interview
                      </Menu.Item>
                    )}
                  </Menu.Dropdown>
                </Menu>
              </Group>
            ) : null
          }
        >
          {interview && !editing ? (
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="xs">
              <Field label="Date and time">{interview.startedAt.replace('T', ' ')}</Field>
              <Field label="Mode">{INTERVIEW_MODE_LABELS[interview.mode]}</Field>
              <Field label="Interviewer">{interview.interviewer}</Field>
              <Field label="Place">{interview.place}</Field>
              <Field label="Interpreter">
                {[interview.interpreter, interview.interpreterLanguage].filter(Boolean).join(' · ')}
              </Field>
              <Field label="Duration">{interview.durationMinutes ? `${interview.durationMinutes} min` : ''}</Field>
              <Field label="Declaration">
                {formatField(names)('declarationStatus', interview.declarationStatus)}
                {interview.declarationSignedOn ? ` (${interview.declarationSignedOn})` : ''}
              </Field>
              <Field label="Notes">{interview.notes}</Field>
            </SimpleGrid>
          ) : (
            <form
              onSubmit={
                interview
                  ? (e) => {
                      e.preventDefault();
                      setReasonFor('edit');
                    }
                  : startInterview
              }
              noValidate
            >
              <Stack gap="md">
                <InterviewFields form={interviewForm} />
                <Group justify="flex-end">
                  {interview && (
                    <Button
                      variant="default"
                      onClick={() => {
                        interviewForm.setValues(interviewToValues(interview));
                        setEditing(false);
                      }}
                    >
                      Cancel
                    </Button>
                  )}
                  <Button type="submit" loading={saving}>
                    {interview ? 'Save changes' : 'Start interview'}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
        </Section>
      )}

      {/* 3. Incidents */}
      {person && interview && (
        <Section title={`3 · Incidents reported (${incidents.length})`} testId="interview-incidents">
          {incidents.length > 0 && (
            <Stack gap={6} data-testid="interview-incident-list">
              {incidents.map((i, n) => (
                <Paper key={i.id} withBorder p="xs" radius="sm" bg="gray.0">
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <Badge variant="outline" color="gray" radius="sm" w={34} px={0}>
                      {n + 1}
                    </Badge>
                    <Text size="sm" w={110} c="dimmed" style={{ flexShrink: 0 }}>
                      {formatWhen(i)}
                    </Text>
                    <Group gap={4} w={240} style={{ flexShrink: 0 }}>
                      {i.categories.map((c) => (
                        <Badge key={c} size="sm" variant="light">
                          {categoryLabel(c)}
                        </Badge>
                      ))}
                    </Group>
                    <Text size="sm" dir="auto" lineClamp={1} style={{ flex: 1 }}>
                      {i.summary}
                    </Text>
                    <Anchor size="sm" component="button" type="button" onClick={() => nav.go({ page: 'incident', id: i.id })}>
                      Open
                    </Anchor>
                  </Group>
                </Paper>
              ))}
            </Stack>
          )}
          <Paper withBorder p="md" radius="md" data-testid="incident-entry">
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void saveIncident();
              }}
              onKeyDownCapture={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  e.stopPropagation();
                  void saveIncident();
                }
              }}
            >
              <Stack gap="md">
                <Title order={5}>Incident {incidents.length + 1}</Title>
                <IncidentFields form={incidentForm} firstFieldRef={firstField} personId={person.id} />
                <ErrorNote message={incidentError} />
                <Group justify="space-between">
                  <Text size="xs" c="dimmed">
                    <Kbd>Ctrl</Kbd> + <Kbd>Enter</Kbd> saves this incident and opens the next
                  </Text>
                  <Button type="submit" loading={saving} data-testid="save-incident">
                    Save and add next
                  </Button>
                </Group>
              </Stack>
            </form>
          </Paper>
        </Section>
      )}

      {interview && (
        <>
          <RecordWriteModal
            write={reasonFor}
            noun="interview"
            titles={{ edit: 'Save changes to the interview' }}
            onClose={() => setReasonFor(null)}
            onConfirm={writeInterview}
          />
          <HistoryDrawer
            opened={historyOpen}
            onClose={() => setHistoryOpen(false)}
            title="Interview history"
            load={() => call('interviews:history', { id: interview.id })}
            label={fieldLabel(INTERVIEW_FIELDS)}
            format={formatField(names)}
            order={Object.keys(INTERVIEW_FIELDS)}
          />
        </>
      )}
    </Stack>
  );
}

function PersonSummary({ person, facility, onOpen }: { person: Person; facility: string | undefined; onOpen: () => void }) {
  return (
    <Group justify="space-between" align="flex-start" data-testid="chosen-person">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="xs" style={{ flex: 1 }}>
        <Field label="Name">
          {person.familyName}, {person.givenName}
        </Field>
        <Field label="Original script">{person.nameOriginal}</Field>
        <Field label="A-number">{formatANumber(person.aNumber)}</Field>
        <Field label="Filing code">{person.filingCode}</Field>
        <Field label="Facility">{facility}</Field>
        <Field label="Languages">{person.languages.join(', ')}</Field>
        <Field label="Interpreter">{person.interpreterNeeded ? 'Needed' : 'Not needed'}</Field>
        <Field label="Consent">{person.consentGiven ? `Given ${person.consentDate ?? ''}` : 'Not given'}</Field>
      </SimpleGrid>
      <Anchor size="sm" component="button" type="button" onClick={onOpen}>
        Open person
      </Anchor>
    </Group>
  );
}
