// Before anything else: first run (choose a passphrase, or explicitly no encryption) or unlock.
// The app itself renders only once the vault says the database is unlocked.
import { Alert, Button, Center, Checkbox, Divider, Loader, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { VaultStatus } from '../../../../shared/safety';
import { call, onCoreRestart } from '../../api/client';
import { LockContext, LockKeeper, VAULT_CHANGED } from './lock';

export function VaultGate({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<VaultStatus>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    const r = await call('vault:status', {});
    if (r.ok) setStatus(r.data);
    else setError(r.error.message);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    const reload = () => void load();
    window.addEventListener(VAULT_CHANGED, reload);
    return () => window.removeEventListener(VAULT_CHANGED, reload);
  }, [load]);
  // The core died and was started again: it is locked, so the passphrase is asked for again.
  const [restarted, setRestarted] = useState(false);
  useEffect(
    () =>
      onCoreRestart(() => {
        setRestarted(true);
        void load();
      }),
    [load],
  );

  // Locking: the app is unmounted first (its forms send their pending draft saves as they go),
  // then the core closes the database and forgets the passphrase.
  const [locking, setLocking] = useState<'button' | 'keys' | 'idle'>();
  const [lockedBy, setLockedBy] = useState<'button' | 'keys' | 'idle'>();
  const lock = useCallback((why: 'button' | 'keys' | 'idle') => setLocking((l) => l ?? why), []);
  useEffect(() => {
    if (!locking) return;
    void call('vault:lock', {}).then((r) => {
      if (r.ok) {
        setStatus(r.data);
        setLockedBy(locking);
      } else setError(r.error.message);
      setLocking(undefined);
    });
  }, [locking]);
  const lockState = useMemo(() => ({ encrypted: status?.encrypted === true, lock }), [status?.encrypted, lock]);

  if (status?.state === 'unlocked' && !locking) {
    return (
      <LockContext.Provider value={lockState}>
        <LockKeeper />
        {children}
      </LockContext.Provider>
    );
  }
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" radius="md" p="xl" w={480}>
        <Stack>
          <Title order={2}>Attest</Title>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {restarted && status?.state === 'locked' && (
            <Alert color="orange" data-testid="core-restarted">
              Attest's database process stopped and was started again. Everything saved before it stopped is kept; a change being saved at that moment may need to be made again. Enter the passphrase to go on.
            </Alert>
          )}
          {!status && !error && <Loader size="sm" />}
          {status?.notices.map((n) => (
            <Alert key={n} color="orange" data-testid="vault-notice">
              {n}
            </Alert>
          ))}
          {status?.state === 'new' && <FirstRun onDone={setStatus} />}
          {lockedBy && status?.state === 'locked' && (
            <Alert color="indigo" data-testid="locked-note">
              {lockedBy === 'idle' ? 'Attest locked itself after a time without use.' : 'Attest is locked.'} The database is closed and the passphrase
              forgotten; unsaved forms were kept and are offered back after unlocking.
            </Alert>
          )}
          {locking && <Loader size="sm" aria-label="Locking" />}
          {status?.state === 'locked' && !locking && (
            <Unlock
              onDone={(s) => {
                setLockedBy(undefined);
                setError(undefined);
                setStatus(s);
              }}
            />
          )}
        </Stack>
      </Paper>
    </Center>
  );
}

function FirstRun({ onDone }: { onDone: (s: VaultStatus) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [plainOk, setPlainOk] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (passphrase !== confirm) {
      setError('The two passphrases differ.');
      return;
    }
    setBusy(true);
    const r = await call('vault:setup', { passphrase });
    setBusy(false);
    if (r.ok) onDone(r.data);
    else setError(r.error.issues[0]?.message ?? r.error.message);
  };
  const unencrypted = async () => {
    const r = await call('vault:setup', { noEncryption: true });
    if (r.ok) onDone(r.data);
    else setError(r.error.message);
  };

  return (
    <form onSubmit={create} noValidate data-testid="first-run">
      <Stack>
        <Text>
          Choose the office passphrase. The records are encrypted with it on this laptop; without it nobody — not
          even us — can read them. Write it down somewhere safe.
        </Text>
        <PasswordInput
          label="Passphrase"
          description="At least 10 characters"
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          autoFocus
        />
        <PasswordInput label="Passphrase again" value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Button type="submit" loading={busy}>
          Create encrypted database
        </Button>
        <Divider label="or" />
        <Alert color="orange" title="Without encryption">
          Anyone who gets this laptop or a copy of the file can read every record.
        </Alert>
        <Checkbox label="I understand: store the records unencrypted" checked={plainOk} onChange={(e) => setPlainOk(e.currentTarget.checked)} />
        <Button variant="default" disabled={!plainOk} onClick={() => void unencrypted()}>
          Continue without encryption
        </Button>
      </Stack>
    </form>
  );
}

function Unlock({ onDone }: { onDone: (s: VaultStatus) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await call('vault:unlock', { passphrase });
    setBusy(false);
    if (r.ok) onDone(r.data);
    else setError(r.error.message);
  };
  return (
    <form onSubmit={submit} noValidate data-testid="unlock">
      <Stack>
        <Text>The records are encrypted. Enter the office passphrase to open them.</Text>
        <PasswordInput label="Passphrase" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} autoFocus />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Button type="submit" loading={busy}>
          Unlock
        </Button>
      </Stack>
    </form>
  );
}
