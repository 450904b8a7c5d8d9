import { Badge, Button, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import { useList } from '../../api/use-list';
import { Empty, Section } from '../../ui/components';

export function PastExports() {
  const list = useList('exports:list', { limit: 50, offset: 0 });
  const reload = list.reload;
  const [checks, setChecks] = useState<Record<string, string>>({});
  useEffect(() => {
    const t = setInterval(() => void reload(), 3000);
    return () => clearInterval(t);
  }, [reload]);
  const verify = async (exportId: string, name: string) => {
    const r = await call('exports:verify', { exportId, name });
    const k = `${exportId}/${name}`;
    const state = !r.ok ? r.error.message : !r.data.found ? 'missing' : !r.data.matches ? 'CHANGED' : r.data.history?.problem ? `matches, but ${r.data.history.problem}` : 'matches';
    setChecks((c) => ({ ...c, [k]: state }));
  };
  return (
    <Section title="Past exports" testId="past-exports">
      {!list.data?.items.length && <Empty>No export yet.</Empty>}
      {list.data?.items.map((e) => (
        <Stack key={e.id} gap={2}>
          <Text size="sm" fw={600}>
            {e.exhibitLabel} · {e.profile} · {e.periodFrom} to {e.periodTo} · {e.incidentCount} incidents · {e.generatedAt.replace('T', ' ').slice(0, 16)}
          </Text>
          <Table withRowBorders={false} verticalSpacing={2}>
            <Table.Tbody>
              {e.files.map((f) => {
                const k = `${e.id}/${f.name}`;
                const state = checks[k];
                return (
                  <Table.Tr key={f.name}>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {f.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="default" onClick={() => void verify(e.id, f.name)} aria-label={`Verify ${f.name}`}>
                        Verify
                      </Button>
                    </Table.Td>
                    <Table.Td style={{ minWidth: 96 }}>
                      {state && state.length > 20 ? (
                        <Text size="xs" c="red" data-testid="verify-result">
                          {state}
                        </Text>
                      ) : (
                        state && (
                          <Badge color={state === 'matches' ? 'teal' : 'red'} data-testid="verify-result">
                            {state}
                          </Badge>
                        )
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Stack>
      ))}
    </Section>
  );
}
