import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useUiState } from './ui-state';
import type { SYNC_ENTITIES } from '../../../shared/contract/sync';

type SyncEntity = (typeof SYNC_ENTITIES)[number];

// In-app navigation: the window has one page and no URL bar, so a route is plain state with a back
// stack. Lists keep their filters in ui-state, so going back finds them unchanged; the stack is kept
// there too, so after Lock and unlock (which unmount the app) the user is back where they were.
export type Route =
  | { page: 'dashboard' }
  | { page: 'people' }
  | { page: 'import' }
  | { page: 'person'; id: string }
  | { page: 'interview'; personId?: string; interviewId?: string }
  | { page: 'incidents' }
  | { page: 'incident'; id: string }
  | { page: 'facilities' }
  | { page: 'reports' }
  | { page: 'safety' }
  | { page: 'sync'; focus?: 'conflicts' }
  | { page: 'conflict'; entity: SyncEntity; id: string };

interface Nav {
  route: Route;
  go: (route: Route) => void;
  back: () => void;
  canGoBack: boolean;
}

const NavContext = createContext<Nav | null>(null);

export function NavProvider({ children, initial }: { children: ReactNode; initial: Route }) {
  const [stack, setStack] = useUiState<Route[]>('nav.stack', [initial]);
  const go = useCallback((route: Route) => {
    setStack((s) => [...s.slice(-30), route]);
    window.scrollTo({ top: 0 });
  }, [setStack]);
  const back = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), [setStack]);
  const value = useMemo<Nav>(
    () => ({ route: stack[stack.length - 1]!, go, back, canGoBack: stack.length > 1 }),
    [stack, go, back],
  );
  return <NavContext.Provider value={value}>{children}</NavContext.Provider>;
}

export function useNav(): Nav {
  const nav = useContext(NavContext);
  if (!nav) throw new Error('useNav outside NavProvider');
  return nav;
}
