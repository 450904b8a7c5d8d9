import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Divider,
  Group,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { formatANumber } from '../../../../shared/a-number';
import type { Person } from '../../../../shared/schemas';
import {
  CLASS_MEMBERSHIPS,
  CLASS_MEMBERSHIP_LABELS,
  REMOVAL_ORDER_LABELS,
  REMOVAL_ORDER_STATUSES,
} from '../../../../shared/vocab';
import { call, formSummary, pathErrors } from '../../api/client';
import { pickProps } from '../../ui/pick';
import { fieldLabel, PERSON_FIELDS } from '../../ui/labels';
import { ErrorNote, useFormError } from '../../ui/components';
import { facilityOptions, rememberPerson, useFacilities } from '../../api/lookups';
import { ReasonModal } from '../../ui/reason-modal';
import { BIDI } from '../../ui/text';

export interface PersonValues {
  familyName: string;
  givenName: string;
  nameOriginal: string;
  aNumber: string;
  birthDate: string;
  nationality: string;
  languages: string[];
  interpreterNeeded: boolean;
  currentFacilityId: string;
  detainedSince: string;
  classMembership: string;
  removalOrderStatus: string;
  counsel: string;
  consentGiven: boolean;
  consentDate: string;
  consentScope: string;
}

export const EMPTY_PERSON: PersonValues = {
  familyName: '',
  givenName: '',
  nameOriginal: '',
  aNumber: '',
  birthDate: '',
  nationality: '',
  languages: [],
  interpreterNeeded: false,
  currentFacilityId: '',
  detainedSince: '',
  classMembership: 'unknown',
  removalOrderStatus: 'unknown',
  counsel: '',
  consentGiven: false,
  consentDate: '',
  consentScope: '',
};

export function personToValues(p: Person): PersonValues {
  return {
    familyName: p.familyName,
    givenName: p.givenName,
    nameOriginal: p.nameOriginal ?? '',
    aNumber: formatANumber(p.aNumber),
    birthDate: p.birthDate ?? '',
    nationality: p.nationality ?? '',
    languages: p.languages,
    interpreterNeeded: p.interpreterNeeded,
    currentFacilityId: p.currentFacilityId ?? '',
    detainedSince: p.detainedSince ?? '',
    classMembership: p.classMembership,
    removalOrderStatus: p.removalOrderStatus,
    counsel: p.counsel ?? '',
    consentGiven: p.consentGiven,
    consentDate: p.consentDate ?? '',
    consentScope: p.consentScope ?? '',
  };
}

function toInput(v: PersonValues) {
  return {
    ...v,
    classMembership: v.classMembership as Person['classMembership'],
    removalOrderStatus: v.removalOrderStatus as Person['removalOrderStatus'],
  };
}

interface Match {
  id: string;
  familyName: string;
  givenName: string;
  nameOriginal: string | null;
  aNumber: string;
  filingCode: string;
}

export interface PersonFormProps {
  /** The person being edited; absent when creating. */
  person?: Person;
  initialValues?: PersonValues;
  onValuesChange?: (v: PersonValues) => void;
  onSaved: (p: Person) => void;
  onOpenPerson: (id: string) => void;
  /** Offered next to a duplicate or a similar name: take that person instead of creating one. */
  onUseExisting?: (id: string) => void;
  onCancel?: () => void;
  submitLabel?: string;
  testId?: string;
}

/**
 * Every field of a person. Before saving it asks the database who already holds the A-number
 * (saving is then refused, with a link to them) and who has a similar name (a warning to confirm).
 */
export function PersonForm(props: PersonFormProps) {
  const { person } = props;
  const facilities = useFacilities();
  const form = useForm<PersonValues>({
    initialValues: props.initialValues ?? (person ? personToValues(person) : EMPTY_PERSON),
    onValuesChange: (v) => props.onValuesChange?.(v),
  });
  const [error, setError] = useFormError(form.errors);
  const [taken, setTaken] = useState<Match | null>(null);
  const [similar, setSimilar] = useState<Match[]>([]);
  const [confirmSimilar, setConfirmSimilar] = useState(false);
  const [reasonOpen, setReasonOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  const v = form.values;
  const [probe] = useDebouncedValue(
    JSON.stringify({ f: v.familyName, g: v.givenName, o: v.nameOriginal, a: v.aNumber }),
    300,
  );
  useEffect(() => {
    const p = JSON.parse(probe) as { f: string; g: string; o: string; a: string };
    if (!p.f.trim() && !p.g.trim() && !p.o.trim() && !p.a.trim()) {
      setTaken(null);
      setSimilar([]);
      return;
    }
    let live = true;
    void call('people:similar', {
      familyName: p.f,
      givenName: p.g,
      nameOriginal: p.o,
      aNumber: p.a,
      excludeId: person?.id ?? null,
    }).then((r) => {
      if (!live || !r.ok) return;
      setTaken(r.data.aNumberTaken);
      setSimilar(r.data.similar.filter((s) => s.id !== r.data.aNumberTaken?.id));
      setConfirmSimilar(false);
    });
    return () => {
      live = false;
    };
  }, [probe, person?.id]);

  const save = async (reason: string | null): Promise<string | undefined> => {
    setBusy(true);
    const r = person
      ? await call('people:update', { ...toInput(form.values), id: person.id, expectedVersion: person.version, reason })
      : await call('people:create', toInput(form.values));
    setBusy(false);
    if (!r.ok) {
      form.setErrors(pathErrors(r.error.issues));
      const summary = formSummary(r.error, fieldLabel(PERSON_FIELDS));
      setError(summary, r.error.issues.some((i) => i.path.length > 0));
      return summary;
    }
    setError(undefined);
    rememberPerson(r.data);
    props.onSaved(r.data);
    return undefined;
  };

  const submit = form.onSubmit(async () => {
    if (taken) {
      setError(`This A-number is already recorded for ${taken.familyName}, ${taken.givenName}.`);
      return;
    }
    if (similar.length > 0 && !confirmSimilar && !person) {
      setConfirmSimilar(true);
      return;
    }
    if (person) setReasonOpen(true);
    else await save(null);
  });

  const matchLine = (m: Match) => (
    <Group gap="xs" key={m.id} wrap="nowrap">
      <Text size="sm" fw={500}>
        {m.familyName}, {m.givenName}
      </Text>
      {m.nameOriginal && (
        <Text size="sm" dir="auto">
          {m.nameOriginal}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {formatANumber(m.aNumber)} · {m.filingCode}
      </Text>
      <Anchor size="sm" component="button" type="button" onClick={() => props.onOpenPerson(m.id)}>
        Open
      </Anchor>
      {props.onUseExisting && (
        <Anchor size="sm" component="button" type="button" onClick={() => props.onUseExisting?.(m.id)}>
          Use this person
        </Anchor>
      )}
    </Group>
  );

  return (
    <form onSubmit={submit} noValidate data-testid={props.testId ?? 'person-form'}>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
          <TextInput label="Family name" required {...BIDI} {...form.getInputProps('familyName')} data-autofocus />
          <TextInput label="Given name" required {...BIDI} {...form.getInputProps('givenName')} />
          <TextInput
            label="Name in original script"
            description="As the person writes it, e.g. Arabic"
            {...BIDI}
            {...form.getInputProps('nameOriginal')}
          />
          <TextInput label="A-number" required placeholder="A 012-345-678" {...form.getInputProps('aNumber')} />
          <TextInput label="Birth date" type="date" {...form.getInputProps('birthDate')} />
          <TextInput label="Nationality" {...form.getInputProps('nationality')} />
        </SimpleGrid>
        {taken && (
          <Alert color="red" variant="light" title="This A-number is already recorded" data-testid="duplicate-a-number">
            {matchLine(taken)}
          </Alert>
        )}
        {similar.length > 0 && (
          <Alert color="yellow" variant="light" title="Similar names already recorded" data-testid="similar-names">
            <Stack gap={4}>
              {similar.slice(0, 6).map(matchLine)}
              {confirmSimilar && (
                <Text size="sm" mt={4}>
                  Is this a different person? Save again to confirm.
                </Text>
              )}
            </Stack>
          </Alert>
        )}
        <Divider label="Language and detention" labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
          <TagsInput
            label="Languages"
            description="Type and press Enter"
            maxTags={10}
            {...form.getInputProps('languages')}
          />
          <Checkbox
            label="Needs an interpreter"
            mt={30}
            {...form.getInputProps('interpreterNeeded', { type: 'checkbox' })}
          />
          <Select
            label="Current facility"
            clearable
            {...pickProps()}
            data={facilityOptions(facilities)}
            {...form.getInputProps('currentFacilityId')}
            value={form.values.currentFacilityId || null}
            onChange={(id) => form.setFieldValue('currentFacilityId', id ?? '')}
          />
          <TextInput label="Detained since" type="date" {...form.getInputProps('detainedSince')} />
          <Select
            label="Class membership"
            allowDeselect={false}
            data={CLASS_MEMBERSHIPS.map((c) => ({ value: c, label: CLASS_MEMBERSHIP_LABELS[c] }))}
            {...form.getInputProps('classMembership')}
          />
          <Select
            label="Removal order"
            allowDeselect={false}
            data={REMOVAL_ORDER_STATUSES.map((c) => ({ value: c, label: REMOVAL_ORDER_LABELS[c] }))}
            {...form.getInputProps('removalOrderStatus')}
          />
          <TextInput label="Counsel" description="Name and organisation" {...form.getInputProps('counsel')} />
        </SimpleGrid>
        <Divider label="Consent to use in court filings" labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
          <Checkbox label="Consent given" mt={8} {...form.getInputProps('consentGiven', { type: 'checkbox' })} />
          <TextInput label="Consent date" type="date" {...form.getInputProps('consentDate')} />
          <Textarea label="Scope" autosize minRows={1} {...BIDI} {...form.getInputProps('consentScope')} />
        </SimpleGrid>
        <ErrorNote message={error} />
        <Group justify="flex-end">
          {props.onCancel && (
            <Button variant="default" onClick={props.onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={busy} color={confirmSimilar ? 'yellow.8' : 'indigo'}>
            {confirmSimilar ? 'Save anyway' : (props.submitLabel ?? (person ? 'Save changes' : 'Save person'))}
          </Button>
        </Group>
      </Stack>
      {person && (
        <ReasonModal
          opened={reasonOpen}
          onClose={() => setReasonOpen(false)}
          title="Save changes"
          message="The earlier version stays in the history, with your name and this reason."
          confirmLabel="Save changes"
          onConfirm={(reason) => save(reason || null)}
        />
      )}
    </form>
  );
}
