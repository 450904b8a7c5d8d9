// Lock now (the header button, Ctrl+L) and the idle lock: the core closes the database and forgets
// the passphrase (vault:lock), and the gate shows the unlock screen. The app is unmounted first, so
// every form's pending draft save is sent before the lock (drafts are kept in the database).
import { Alert, Button, Group, NumberInput, Stack, Text } from '@mantine/core';
import { createContext, useContext, useEffect, useRef, useState, type FormEvent } from 'react';
import { call } from '../../api/client';
import { useList } from '../../api/use-list';
import { Section } from '../../ui/components';

export interface LockState {
  /** Whether the open database is encrypted: an unencrypted one cannot be locked. */
  encrypted: boolean;
  lock: (why: 'button' | 'keys' | 'idle') => void;
}

export const LockContext = createContext<LockState>({ encrypted: false, lock: () => undefined });

/** Sent after the idle lock setting is saved, so the running timer takes it at once. */
export const IDLE_LOCK_CHANGED = 'attest:idle-lock-changed';

/** Sent after the database's encryption changed (encrypted, passphrase changed): the gate reads its status again. */
export const VAULT_CHANGED = 'attest:vault-changed';

/** What the user does in the window: each resets the idle timer. */
const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * While unlocked and encrypted: Ctrl+L (Cmd+L) locks, and so do `minutes` (session:idle-lock)
 * without a key press or pointer move. Renders nothing.
 */
export function LockKeeper() {
  const { encrypted, lock } = useContext(LockContext);
  const [minutes, setMinutes] = useState<number>(0);
  const last = useRef(Date.now());

  useEffect(() => {
    if (!encrypted) return;
    const load = () => void call('session:idle-lock', {}).then((r) => r.ok && setMinutes(r.data.minutes));
    load();
    window.addEventListener(IDLE_LOCK_CHANGED, load);
    return () => window.removeEventListener(IDLE_LOCK_CHANGED, load);
  }, [encrypted]);

  useEffect(() => {
    if (!encrypted) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        lock('keys');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [encrypted, lock]);

  useEffect(() => {
    if (!encrypted || minutes <= 0) return;
    last.current = Date.now();
    const seen = () => {
      last.current = Date.now();
    };
    for (const e of ACTIVITY) window.addEventListener(e, seen, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last.current >= minutes * 60_000) lock('idle');
    }, 5_000);
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, seen);
      window.clearInterval(timer);
    };
  }, [encrypted, minutes, lock]);
  return null;
}

/** The header's Lock button; not shown for an unencrypted database (nothing would be locked). */
export function LockButton() {
  const { encrypted, lock } = useContext(LockContext);
  if (!encrypted) return null;
  return (
    <Button variant="default" size="compact-sm" onClick={() => lock('button')} title="Lock now (Ctrl+L): the passphrase is needed to go on" data-testid="lock-now">
      Lock
    </Button>
  );
}

/** On every page of an unencrypted database: it stays until the database is encrypted. */
export function UnencryptedBanner({ onEncrypt }: { onEncrypt: () => void }) {
  const { encrypted } = useContext(LockContext);
  if (encrypted) return null;
  return (
    <Alert color="orange" mt="md" p="xs" role="alert" data-testid="unencrypted-banner">
      <Stack gap={6}>
        <Text fw={700} c="red.9" size="sm">
          This database is not encrypted
        </Text>
        <Text size="xs">Anyone with this laptop, the database file or a backup can read every record.</Text>
        <Button size="compact-sm" variant="default" onClick={onEncrypt}>
          Encrypt the database
        </Button>
      </Stack>
    </Alert>
  );
}

/** The idle lock setting, on the Backups & passphrase page. */
export function IdleLockSetting() {
  const { encrypted } = useContext(LockContext);
  const setting = useList('session:idle-lock', {});
  const [value, setValue] = useState<number | string>();
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  if (!setting.data) return null;
  const shown = value ?? setting.data.minutes;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const minutes = typeof shown === 'number' ? shown : Number.parseInt(shown, 10);
    const r = await call('session:configure-idle-lock', { minutes: Number.isFinite(minutes) ? minutes : -1 });
    if (r.ok) {
      setValue(undefined);
      setNote({ ok: true, text: r.data.minutes === 0 ? 'Saved: Attest no longer locks by itself.' : `Saved: Attest locks after ${r.data.minutes} ${r.data.minutes === 1 ? 'minute' : 'minutes'} without use.` });
      window.dispatchEvent(new Event(IDLE_LOCK_CHANGED));
      await setting.reload();
    } else setNote({ ok: false, text: r.error.issues[0]?.message ?? r.error.message });
  };
  return (
    <Section title="Locking" testId="idle-lock">
      <form onSubmit={save} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Lock now with the Lock button at the top or Ctrl+L. Locking closes the database and forgets the passphrase; unsaved forms are kept
            and offered back after unlocking.{!encrypted && ' This database is not encrypted, so it cannot be locked until it is.'}
          </Text>
          <Group align="flex-end">
            <NumberInput
              label="Lock after this many minutes without use"
              description="0: never. Until set: 15."
              min={0}
              max={1440}
              w={320}
              value={shown}
              onChange={setValue}
            />
            <Button type="submit" variant="light">
              Save
            </Button>
          </Group>
          {note && (
            <Alert color={note.ok ? 'green' : 'red'} role={note.ok ? 'status' : 'alert'} data-testid="idle-lock-note">
              {note.text}
            </Alert>
          )}
        </Stack>
      </form>
    </Section>
  );
}
