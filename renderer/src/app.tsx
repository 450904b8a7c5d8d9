import { AppShell, Button, Group, NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { NavProvider, useNav, type Route } from './ui/nav';
import { DashboardPage } from './features/dashboard/dashboard-page';
import { FacilitiesPage } from './features/facilities/facilities-page';
import { IncidentPage } from './features/incidents/incident-page';
import { IncidentsPage } from './features/incidents/incidents-page';
import { InterviewPage } from './features/interviews/interview-page';
import { ImportPage } from './features/people/import-page';
import { PeoplePage } from './features/people/people-page';
import { PersonPage } from './features/people/person-page';
import { ReportsPage } from './features/reports/reports-page';
import { SessionProvider, useSession } from './features/session/session';
import { KeptWork } from './ui/kept-work';
import { SafetyPage } from './features/vault/safety-page';
import { VerifyStatus } from './features/vault/verify-status';
import { LockButton, UnencryptedBanner } from './features/vault/lock';
import { ConflictBadge } from './features/sync/conflict-badge';
import { ConflictPage } from './features/sync/conflict-page';
import { SyncPage } from './features/sync/sync-page';

const SECTIONS = [
  { key: 'dashboard', label: 'Dashboard', description: 'The pattern at a glance' },
  { key: 'interview', label: 'Interview', description: 'Record what a client reports' },
  { key: 'people', label: 'People', description: 'Clients and class members' },
  { key: 'incidents', label: 'Incidents', description: 'Search everything reported' },
  { key: 'facilities', label: 'Facilities', description: 'Where people are held' },
  { key: 'reports', label: 'Reports', description: 'Court exhibits and exports' },
  { key: 'sync', label: 'Sync', description: 'Other laptops, bundles, conflicts' },
  { key: 'safety', label: 'Backups & passphrase', description: 'Backups, restore, encryption' },
] as const;
type SectionKey = (typeof SECTIONS)[number]['key'];

function sectionOf(route: Route): SectionKey {
  switch (route.page) {
    case 'person':
    case 'import':
      return 'people';
    case 'incident':
      return 'incidents';
    case 'conflict':
      return 'sync';
    default:
      return route.page;
  }
}

export function App() {
  return (
    <SessionProvider>
      <NavProvider initial={{ page: 'dashboard' }}>
        <Shell />
      </NavProvider>
    </SessionProvider>
  );
}

function Shell() {
  const { route, go } = useNav();
  const session = useSession();
  const active = sectionOf(route);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 210, breakpoint: 0 }} padding="lg">
      <AppShell.Header>
        {/* At 1024 px the tagline gives way, so the badges keep one readable line. */}
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" align="baseline" wrap="nowrap">
            <Title order={3}>Attest</Title>
            <Text size="sm" c="dimmed" visibleFrom="lg">
              Offline record of reported mistreatment in detention
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap" style={{ whiteSpace: 'nowrap' }}>
            <KeptWork />
            <ConflictBadge />
            <VerifyStatus />
            <Text size="sm" c="dimmed">
              Working as
            </Text>
            <Button variant="subtle" size="compact-sm" onClick={session.switchUser} data-testid="current-user">
              {session.name ?? 'nobody yet'}
            </Button>
            <LockButton />
          </Group>
        </Group>
      </AppShell.Header>
      {/* Its height from the window's edges (top and bottom), not 100dvh, which a resized window may
          not have updated yet: the banner at its foot stays in view. */}
      <AppShell.Navbar p="xs" aria-label="Main" style={{ height: 'auto', bottom: 0 }}>
        {/* The links scroll if the window is too short for them and the banner below, which stays in view. */}
        <AppShell.Section grow component={ScrollArea} type="auto">
          <Stack gap={2}>
            {SECTIONS.map((s) => (
              <NavLink
                key={s.key}
                label={s.label}
                description={s.description}
                active={active === s.key}
                onClick={() => go({ page: s.key })}
                data-testid={`nav-${s.key}`}
                styles={{ label: { fontWeight: 600 } }}
              />
            ))}
          </Stack>
        </AppShell.Section>
        {/* In the navigation column, on every page, without taking the lists' rows. */}
        <AppShell.Section>
          <UnencryptedBanner onEncrypt={() => go({ page: 'safety' })} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Page route={route} />
      </AppShell.Main>
    </AppShell>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage />;
    case 'people':
      return <PeoplePage />;
    case 'import':
      return <ImportPage />;
    case 'person':
      return <PersonPage key={route.id} id={route.id} />;
    case 'interview':
      return <InterviewPage key={route.interviewId ?? route.personId ?? 'new'} personId={route.personId} interviewId={route.interviewId} />;
    case 'incidents':
      return <IncidentsPage />;
    case 'incident':
      return <IncidentPage key={route.id} id={route.id} />;
    case 'facilities':
      return <FacilitiesPage />;
    case 'reports':
      return <ReportsPage />;
    case 'safety':
      return <SafetyPage />;
    case 'sync':
      return <SyncPage focus={route.focus} />;
    case 'conflict':
      return <ConflictPage key={`${route.entity}:${route.id}`} entity={route.entity} id={route.id} />;
  }
}
