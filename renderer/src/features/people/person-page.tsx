import { Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Timeline, UnstyledButton } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import { formatANumber } from '../../../../shared/a-number';
import type { Person, TimelineOutput } from '../../../../shared/schemas';
import { CLASS_MEMBERSHIP_LABELS, INCIDENT_STATUS_LABELS, REMOVAL_ORDER_LABELS } from '../../../../shared/vocab';
import { call } from '../../api/client';
import { Empty, ErrorNote, Field, PageHeader, Section } from '../../ui/components';
import { PersonForm, personToValues, type PersonValues } from './person-form';
import { categoryLabel, fieldLabel, formatField, PERSON_FIELDS } from '../../ui/labels';
import { rememberPerson, useFacilities } from '../../api/lookups';
import { useNav } from '../../ui/nav';
import { formatDateTime } from '../../ui/format';
import { HistoryDrawer } from '../../ui/history-drawer';
import { KeptEditNotice, useEditDraft, type EditStart } from '../../ui/edit-draft';
import { RecordWriteModal } from '../../ui/reason-modal';
import { timelineDetail, timelineTitle } from './timeline';

type TimelineItem = z.infer<typeof TimelineOutput>['items'][number];

export function PersonPage({ id }: { id: string }) {
  const nav = useNav();
  const facilities = useFacilities();
  const [person, setPerson] = useState<Person>();
  const [timeline, setTimeline] = useState<TimelineItem[]>();
  const [error, setError] = useState<string>();
  const [write, setWrite] = useState<'delete' | 'restore' | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  // The edit in progress (null: not editing), kept as a draft while typed (see useEditDraft).
  const [edit, setEdit] = useState<{ values: PersonValues; from: EditStart } | null>(null);
  const editing = edit !== null;
  const draft = useEditDraft(`person.${id}`, 'person', edit?.values ?? null, edit?.from ?? null);

  const load = useCallback(async () => {
    const [p, t] = await Promise.all([call('people:get', { id }), call('people:timeline', { personId: id })]);
    if (p.ok) {
      setPerson(p.data);
      rememberPerson(p.data);
    } else setError(p.error.message);
    if (t.ok) setTimeline(t.data.items);
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!person) return error ? <ErrorNote message={error} title="Could not open" /> : <Loader size="sm" />;
  const startEditing = (values: PersonValues, baseVersion: number) => {
    setEdit({ values, from: { json: JSON.stringify(personToValues(person)), version: baseVersion } });
  };
  const stopEditing = () => {
    setEdit(null);
    void draft.discard();
  };
  const facility = facilities.find((f) => f.id === person.currentFacilityId);
  const fmt = formatField((x) => facilities.find((f) => f.id === x)?.name);

  const doWrite = async (kind: 'delete' | 'restore', reason: string) => {
    const guard = { id: person.id, expectedVersion: person.version, reason: reason || null };
    const r = kind === 'delete' ? await call('people:delete', guard) : await call('people:restore', guard);
    if (!r.ok) return r.error.message;
    setPerson(r.data);
    return undefined;
  };

  return (
    <Stack gap="md" data-testid="person-page">
      <PageHeader
        crumbs={[{ label: 'People', onClick: () => nav.go({ page: 'people' }) }]}
        title={`${person.familyName}, ${person.givenName}`}
        badge={
          <Group gap={6}>
            <Badge variant="outline" color="gray" radius="sm" size="lg" data-testid="filing-code">
              {person.filingCode}
            </Badge>
            {person.deletedAt && <Badge color="red">Deleted</Badge>}
          </Group>
        }
        description={
          <>
            {person.nameOriginal && (
              <Text span dir="auto" fw={500} c="dark" mr="sm">
                {person.nameOriginal}
              </Text>
            )}
            A-number {formatANumber(person.aNumber)} · version {person.version}, last changed {formatDateTime(person.updatedAt)}
          </>
        }
        actions={
          !editing && (
            <>
              <Button variant="default" onClick={() => setHistoryOpen(true)}>
                History
              </Button>
              {person.deletedAt ? (
                <Button variant="light" onClick={() => setWrite('restore')}>
                  Restore
                </Button>
              ) : (
                <>
                  <Button variant="default" onClick={() => setWrite('delete')}>
                    Delete
                  </Button>
                  <Button variant="default" onClick={() => startEditing(personToValues(person), person.version)}>
                    Edit
                  </Button>
                  <Button onClick={() => nav.go({ page: 'interview', personId: person.id })} data-testid="person-start-interview">
                    Start interview
                  </Button>
                </>
              )}
            </>
          )
        }
      />
      {!editing && draft.kept?.values && !person.deletedAt && (
        <KeptEditNotice
          noun="person"
          kept={draft.kept}
          version={person.version}
          onDiscard={() => void draft.discard()}
          onContinue={() => draft.kept?.values && startEditing({ ...personToValues(person), ...draft.kept.values }, draft.kept.baseVersion)}
        />
      )}
      {edit ? (
        <Section title="Edit person" testId="person-edit">
          <PersonForm
            person={person}
            initialValues={edit.values}
            onValuesChange={(values) => setEdit((e) => (e ? { ...e, values } : e))}
            onSaved={(p) => {
              setPerson(p);
              stopEditing();
              void load();
            }}
            onOpenPerson={(other) => nav.go({ page: 'person', id: other })}
            onCancel={stopEditing}
          />
        </Section>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
          <Section title="Identity">
            <Stack gap="sm">
              <Field label="Birth date">{person.birthDate}</Field>
              <Field label="Nationality">{person.nationality}</Field>
              <Field label="Languages">{person.languages.join(', ')}</Field>
              <Field label="Interpreter">{person.interpreterNeeded ? 'Needed' : 'Not needed'}</Field>
            </Stack>
          </Section>
          <Section title="Detention and case">
            <Stack gap="sm">
              <Field label="Current facility">{facility ? `${facility.name} (${facility.city}, ${facility.state})` : ''}</Field>
              <Field label="Detained since">{person.detainedSince}</Field>
              <Field label="Class membership">{CLASS_MEMBERSHIP_LABELS[person.classMembership]}</Field>
              <Field label="Removal order">{REMOVAL_ORDER_LABELS[person.removalOrderStatus]}</Field>
              <Field label="Counsel">{person.counsel}</Field>
            </Stack>
          </Section>
          <Section title="Consent to use in filings">
            <Stack gap="sm">
              <Field label="Consent">
                {person.consentGiven ? (
                  <Badge color="teal" variant="light">
                    Given {person.consentDate}
                  </Badge>
                ) : (
                  <Badge color="orange" variant="light">
                    Not given
                  </Badge>
                )}
              </Field>
              <Field label="Scope">{person.consentScope}</Field>
            </Stack>
          </Section>
        </SimpleGrid>
      )}
      <Section title={`Timeline${timeline ? ` (${timeline.length})` : ''}`} testId="person-timeline">
        {!timeline ? (
          <Loader size="sm" />
        ) : timeline.length === 0 ? (
          <Empty>No interviews or incidents yet.</Empty>
        ) : (
          <Timeline bulletSize={14} lineWidth={2} active={timeline.length}>
            {timeline.map((t) => (
              <Timeline.Item
                key={`${t.kind}-${t.id}`}
                color={t.kind === 'interview' ? 'indigo' : 'orange'}
              >
                <UnstyledButton
                  onClick={() =>
                    nav.go(t.kind === 'interview' ? { page: 'interview', interviewId: t.id } : { page: 'incident', id: t.id })
                  }
                  w="100%"
                  data-testid={`timeline-${t.kind}`}
                >
                  <Paper p="xs" radius="sm" className="timeline-card">
                    <Group gap="sm" wrap="nowrap" align="baseline">
                      <Text size="sm" c="dimmed" w={130} style={{ flexShrink: 0 }}>
                        {t.precision === 'approximate' ? '~ ' : ''}
                        {t.precision === 'month' ? t.date.slice(0, 7) : t.date}
                        {t.until ? ` – ${t.until}` : ''}
                      </Text>
                      <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                        <Group gap={6}>
                          <Badge size="xs" radius="sm" variant="filled" color={t.kind === 'interview' ? 'indigo' : 'orange'}>
                            {t.kind === 'interview' ? 'Interview' : 'Incident'}
                          </Badge>
                          <Text size="sm" fw={600} dir="auto">
                            {timelineTitle(t)}
                          </Text>
                          {t.categories.map((c) => (
                            <Badge key={c} size="xs" variant="light">
                              {categoryLabel(c)}
                            </Badge>
                          ))}
                          {t.status && (
                            <Badge size="xs" variant="outline" color="gray">
                              {INCIDENT_STATUS_LABELS[t.status]}
                            </Badge>
                          )}
                        </Group>
                        {timelineDetail(t) !== timelineTitle(t) && (
                          <Text size="sm" c="dimmed" dir="auto" lineClamp={2}>
                            {timelineDetail(t)}
                          </Text>
                        )}
                      </Stack>
                    </Group>
                  </Paper>
                </UnstyledButton>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Section>
      <RecordWriteModal
        write={write}
        noun="person"
        messages={{ delete: 'The person is marked deleted, not destroyed; the filing code is never reused and the record can be restored.' }}
        onClose={() => setWrite(null)}
        onConfirm={doWrite}
      />
      <HistoryDrawer
        opened={historyOpen}
        onClose={() => setHistoryOpen(false)}
        title="Person history"
        load={() => call('people:history', { id: person.id })}
        label={fieldLabel(PERSON_FIELDS)}
        format={fmt}
        order={Object.keys(PERSON_FIELDS)}
      />
    </Stack>
  );
}
