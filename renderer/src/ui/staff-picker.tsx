import { Button, Divider, Group, Modal, Radio, ScrollArea, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorNote } from './components';
import { BIDI } from './text';

export interface StaffOption {
  id: string;
  name: string;
  role?: string | null;
}

export interface StaffPickerProps {
  opened: boolean;
  staff: readonly StaffOption[];
  currentId: string | null;
  roles: readonly { value: string; label: string }[];
  /** Closing is allowed only once someone is picked. */
  onClose?: () => void;
  onPick: (id: string) => void;
  /** Creates a staff member; returns an error message or the new id. */
  onCreate: (name: string, role: string | null) => Promise<{ error: string } | { id: string }>;
}

/** Who is working: every version written records this person. Shown at start until someone is picked. */
export function StaffPicker(props: StaffPickerProps) {
  const [selected, setSelected] = useState<string | null>(props.currentId);
  const [name, setName] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setSelected(props.currentId ?? props.staff[0]?.id ?? null), [props.currentId, props.staff, props.opened]);

  const create = async () => {
    setBusy(true);
    const r = await props.onCreate(name, role);
    setBusy(false);
    if ('error' in r) setError(r.error);
    else {
      setError(undefined);
      setName('');
      props.onPick(r.id);
    }
  };

  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose ?? (() => undefined)}
      withCloseButton={Boolean(props.onClose)}
      closeOnClickOutside={Boolean(props.onClose)}
      closeOnEscape={Boolean(props.onClose)}
      title="Who is working?"
      centered
      size="md"
      data-testid="staff-picker"
    >
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Every record you create or change is signed with your name in its history.
        </Text>
        {props.staff.length > 0 && (
          <>
            <Radio.Group value={selected} onChange={setSelected} label="Staff on this laptop">
              <ScrollArea.Autosize mah={220} mt="xs">
                <Stack gap={8}>
                  {props.staff.map((s) => (
                    <Radio key={s.id} value={s.id} label={s.role ? `${s.name} — ${s.role}` : s.name} />
                  ))}
                </Stack>
              </ScrollArea.Autosize>
            </Radio.Group>
            <Group justify="flex-end">
              <Button disabled={!selected} onClick={() => selected && props.onPick(selected)}>
                Continue as {props.staff.find((s) => s.id === selected)?.name ?? '…'}
              </Button>
            </Group>
            <Divider label="or add someone" labelPosition="center" />
          </>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <Stack gap="sm">
            <Group grow align="flex-start">
              <TextInput
                label="Full name"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                {...BIDI}
                maxLength={200}
                data-autofocus={props.staff.length === 0 || undefined}
              />
              {props.roles.length > 0 && (
                <Select label="Role" data={[...props.roles]} value={role} onChange={setRole} clearable />
              )}
            </Group>
            <ErrorNote message={error} />
            <Group justify="flex-end">
              <Button type="submit" variant={props.staff.length ? 'light' : 'filled'} loading={busy}>
                Add and continue
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Modal>
  );
}
