import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ErrorNote } from './components';
import { BIDI } from './text';

export interface ReasonModalProps {
  opened: boolean;
  title: string;
  /** What will happen, in one sentence. */
  message: string;
  confirmLabel: string;
  color?: string;
  reasonRequired?: boolean;
  onClose: () => void;
  /** Returns an error message, or nothing when done. */
  onConfirm: (reason: string) => Promise<string | undefined>;
}

/** Asks why before an edit, a delete or a restore: the reason is kept in the record's history. */
export function ReasonModal(props: ReasonModalProps) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // While the modal fades out, keep the words it opened with (callers reset their state on close).
  const shown = useRef(props);
  if (props.opened) shown.current = props;
  const { title, message, confirmLabel, color, reasonRequired } = shown.current;
  useEffect(() => {
    if (props.opened) {
      setReason('');
      setError(undefined);
    }
  }, [props.opened]);
  const confirm = async () => {
    if (reasonRequired && !reason.trim()) {
      setError('Please give a reason: it is kept in the history.');
      return;
    }
    setBusy(true);
    const err = await props.onConfirm(reason.trim());
    setBusy(false);
    if (err) setError(err);
    else props.onClose();
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={title} centered size="md">
      <Stack gap="sm">
        <Text size="sm">{message}</Text>
        <Textarea
          label="Reason"
          description={reasonRequired ? 'Kept in the history' : 'Optional, kept in the history'}
          data-autofocus
          {...BIDI}
          autosize
          minRows={2}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void confirm();
          }}
        />
        <ErrorNote message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button color={color ?? 'indigo'} loading={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export type RecordWrite = 'edit' | 'delete' | 'restore';

export interface RecordWriteModalProps<W extends RecordWrite> {
  /** The write being confirmed; null: closed. */
  write: W | null;
  /** The kind of record, as the title and message name it: "incident", "facility". */
  noun: string;
  /** Wording of this kind of record where it differs from the usual. */
  titles?: Partial<Record<RecordWrite, string>>;
  messages?: Partial<Record<RecordWrite, string>>;
  onClose: () => void;
  onConfirm: (write: W, reason: string) => Promise<string | undefined>;
}

/** The reason asked before an edit, delete or restore of a record, worded alike for every kind. */
export function RecordWriteModal<W extends RecordWrite>({ write, noun, titles, messages, onClose, onConfirm }: RecordWriteModalProps<W>) {
  const w: RecordWrite = write ?? 'edit';
  const title = titles?.[w] ?? { edit: 'Save changes', delete: `Delete this ${noun}`, restore: `Restore this ${noun}` }[w];
  const message =
    messages?.[w] ??
    {
      edit: 'The earlier version stays in the history, with your name and this reason.',
      delete: `The ${noun} is marked deleted, not destroyed: it stays in the history and can be restored.`,
      restore: `The ${noun} comes back into lists and reports; the deletion stays in the history.`,
    }[w];
  return (
    <ReasonModal
      opened={write !== null}
      onClose={onClose}
      title={title}
      message={message}
      confirmLabel={{ edit: 'Save changes', delete: 'Delete', restore: 'Restore' }[w]}
      color={w === 'delete' ? 'red' : 'indigo'}
      onConfirm={async (reason) => (write ? onConfirm(write, reason) : undefined)}
    />
  );
}
