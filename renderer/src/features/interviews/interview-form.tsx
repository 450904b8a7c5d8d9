import { Input, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { Interview } from '../../../../shared/schemas';
import {
  DECLARATION_STATUSES,
  DECLARATION_STATUS_LABELS,
  INTERVIEW_MODES,
  INTERVIEW_MODE_LABELS,
} from '../../../../shared/vocab';
import { BIDI } from '../../ui/text';

export interface InterviewValues {
  startedAt: string;
  place: string;
  interviewer: string;
  mode: string;
  interpreter: string;
  interpreterLanguage: string;
  durationMinutes: number | string;
  declarationStatus: string;
  declarationSignedOn: string;
  notes: string;
}

function nowLocal(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function emptyInterview(interviewer: string, place = ''): InterviewValues {
  return {
    startedAt: nowLocal(),
    place,
    interviewer,
    mode: 'in_person',
    interpreter: '',
    interpreterLanguage: '',
    durationMinutes: '',
    declarationStatus: 'none',
    declarationSignedOn: '',
    notes: '',
  };
}

export function interviewToValues(i: Interview): InterviewValues {
  return {
    startedAt: i.startedAt.slice(0, 16),
    place: i.place ?? '',
    interviewer: i.interviewer,
    mode: i.mode,
    interpreter: i.interpreter ?? '',
    interpreterLanguage: i.interpreterLanguage ?? '',
    durationMinutes: i.durationMinutes ?? '',
    declarationStatus: i.declarationStatus,
    declarationSignedOn: i.declarationSignedOn ?? '',
    notes: i.notes ?? '',
  };
}

export function interviewInput(v: InterviewValues) {
  return {
    ...v,
    mode: v.mode as Interview['mode'],
    declarationStatus: v.declarationStatus as Interview['declarationStatus'],
    durationMinutes: v.durationMinutes === '' ? null : Number(v.durationMinutes),
    declarationSignedOn: v.declarationStatus === 'signed' ? v.declarationSignedOn : null,
  };
}

export function InterviewFields({ form }: { form: UseFormReturnType<InterviewValues> }) {
  const v = form.values;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="sm">
        <TextInput label="Date and time" type="datetime-local" required {...form.getInputProps('startedAt')} />
        <TextInput label="Place" placeholder="e.g. attorney visit room 2" {...form.getInputProps('place')} />
        <TextInput label="Interviewer" required {...form.getInputProps('interviewer')} />
        <Input.Wrapper label="Mode">
          <SegmentedControl
            fullWidth
            data-testid="interview-mode"
            data={INTERVIEW_MODES.map((m) => ({ value: m, label: INTERVIEW_MODE_LABELS[m] }))}
            {...form.getInputProps('mode')}
          />
        </Input.Wrapper>
        <TextInput label="Interpreter" placeholder="Name, or none" {...BIDI} {...form.getInputProps('interpreter')} />
        <TextInput label="Interpreter language" placeholder="e.g. Arabic" {...form.getInputProps('interpreterLanguage')} />
        <NumberInput label="Duration (minutes)" min={1} max={1440} allowDecimal={false} {...form.getInputProps('durationMinutes')} />
        <Select
          label="Declaration"
          allowDeselect={false}
          data={DECLARATION_STATUSES.map((s) => ({ value: s, label: DECLARATION_STATUS_LABELS[s] }))}
          {...form.getInputProps('declarationStatus')}
        />
        {v.declarationStatus === 'signed' ? (
          <TextInput label="Declaration signed on" type="date" required {...form.getInputProps('declarationSignedOn')} />
        ) : (
          <div />
        )}
      </SimpleGrid>
      <Textarea label="Notes" {...BIDI} autosize minRows={1} maxRows={6} {...form.getInputProps('notes')} />
    </Stack>
  );
}
