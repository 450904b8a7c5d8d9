import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { call } from '../../api/client';
import { StaffPicker, type StaffOption } from '../../ui/staff-picker';

// Who is working. The database session records this name in every version written; the picker
// opens at start until someone is chosen, preselecting whoever used this laptop last.
interface SessionState {
  staffId: string | null;
  name: string | null;
  switchUser: () => void;
}

const SessionContext = createContext<SessionState>({ staffId: null, name: null, switchUser: () => undefined });
const LAST = 'attest.lastStaffId';

const ROLES = [
  { value: 'Attorney', label: 'Attorney' },
  { value: 'Paralegal', label: 'Paralegal' },
  { value: 'Supervising attorney', label: 'Supervising attorney' },
  { value: 'Interpreter', label: 'Interpreter' },
  { value: 'Administrator', label: 'Administrator' },
];

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<{ staffId: string | null; name: string | null } | undefined>();
  const [staff, setStaff] = useState<StaffOption[]>([]);
  const [picking, setPicking] = useState(false);

  const loadStaff = useCallback(async () => {
    const r = await call('staff:list', {});
    if (r.ok) setStaff(r.data.items.filter((s) => !s.deletedAt).map((s) => ({ id: s.id, name: s.name, role: s.role })));
  }, []);

  useEffect(() => {
    void (async () => {
      await loadStaff();
      const r = await call('session:get-user', {});
      const u = r.ok ? r.data : { staffId: null, name: null };
      setUser(u);
      if (!u.staffId) setPicking(true);
    })();
  }, [loadStaff]);

  const pick = useCallback(async (staffId: string) => {
    const r = await call('session:set-user', { staffId });
    if (!r.ok) return;
    try {
      localStorage.setItem(LAST, staffId);
    } catch {
      // Preselection is a convenience only.
    }
    setUser(r.data);
    setPicking(false);
  }, []);

  const create = useCallback(
    async (name: string, role: string | null) => {
      const r = await call('staff:create', { name, role });
      if (!r.ok) return { error: r.error.message };
      await loadStaff();
      return { id: r.data.id };
    },
    [loadStaff],
  );

  let last: string | null = null;
  try {
    last = localStorage.getItem(LAST);
  } catch {
    last = null;
  }
  const value = useMemo<SessionState>(
    () => ({ staffId: user?.staffId ?? null, name: user?.name ?? null, switchUser: () => setPicking(true) }),
    [user],
  );
  const current = user?.staffId ?? (staff.some((s) => s.id === last) ? last : null);
  return (
    <SessionContext.Provider value={value}>
      {children}
      <StaffPicker
        opened={picking}
        staff={staff}
        currentId={current}
        roles={ROLES}
        {...(user?.staffId ? { onClose: () => setPicking(false) } : {})}
        onPick={(id) => void pick(id)}
        onCreate={create}
      />
    </SessionContext.Provider>
  );
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}
