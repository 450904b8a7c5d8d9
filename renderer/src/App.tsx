import { AppShell, Group, NavLink, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { FacilitiesPage } from './pages/FacilitiesPage';
import { IncidentsPage } from './pages/IncidentsPage';
import { PeoplePage } from './pages/PeoplePage';
import { SafetyPage } from './vault/SafetyPage';
import { VerifyStatus } from './vault/VerifyStatus';

const PAGES = [
  { key: 'people', label: 'People', description: 'Detained clients and class members' },
  { key: 'incidents', label: 'Incidents', description: 'Mistreatment reported' },
  { key: 'facilities', label: 'Facilities', description: 'Where people are held' },
  { key: 'safety', label: 'Backups & passphrase', description: 'Backups, restore, encryption' },
] as const;
type PageKey = (typeof PAGES)[number]['key'];

export function App() {
  const [page, setPage] = useState<PageKey>('people');
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 0 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={3}>Attest</Title>
          <Group gap="md">
            <VerifyStatus />
            <Text size="sm" c="dimmed">
              Offline record of reported mistreatment in detention
            </Text>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {PAGES.map((p) => (
          <NavLink
            key={p.key}
            label={p.label}
            description={p.description}
            active={page === p.key}
            onClick={() => setPage(p.key)}
            data-testid={`nav-${p.key}`}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {page === 'people' && <PeoplePage />}
        {page === 'incidents' && <IncidentsPage />}
        {page === 'facilities' && <FacilitiesPage />}
        {page === 'safety' && <SafetyPage />}
      </AppShell.Main>
    </AppShell>
  );
}
