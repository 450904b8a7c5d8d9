import { Button, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ReportDefinitionInput } from '../../../../shared/report/definition';
import type { CategoryCode } from '../../../../shared/vocab';
import { call } from '../../api/client';
import { Empty } from '../../ui/components';
import type { Preview } from './draft';

/**
 * Table 1 as clickable counts: a click asks for the incident rows behind the number
 * (reports:cell), which the preview leaves out so that it stays quick on a large office's records.
 */
export function SummaryGrid({
  preview,
  definition,
  selected,
  onSelect,
}: {
  preview: Preview;
  definition: ReportDefinitionInput;
  selected: string | undefined;
  onSelect: (k: string) => void;
}) {
  const s = preview.summary;
  const [rowIds, setRowIds] = useState<string>();
  useEffect(() => {
    setRowIds(undefined);
    if (!selected) return;
    const [r, c] = selected.split(':');
    const facilityId = r === 'total' ? null : (s.rows[Number(r)]?.facilityId ?? null);
    const category = c === 'total' ? null : ((s.categories[Number(c)]?.code ?? null) as CategoryCode | null);
    let live = true;
    void call('reports:cell', { definition, facilityId, category }).then((x) => live && setRowIds(x.ok ? x.data.rowIds.join(', ') : x.error.message));
    return () => {
      live = false;
    };
  }, [selected, definition, s]);
  if (!s.rows.length) return <Empty>No incident matches this definition.</Empty>;
  const btn = (key: string, count: number) => (
    <Button size="compact-sm" variant={selected === key ? 'filled' : 'subtle'} disabled={count === 0} onClick={() => onSelect(key)}>
      {count}
    </Button>
  );
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={500}>
        <Table withTableBorder withColumnBorders striped data-testid="summary-grid">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Facility</Table.Th>
              {s.categories.map((c) => (
                <Table.Th key={c.code} title={c.label}>
                  {c.short}
                </Table.Th>
              ))}
              <Table.Th>All</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.rows.map((r, i) => (
              <Table.Tr key={r.facilityId}>
                <Table.Td>{r.facility}</Table.Td>
                {r.cells.map((c, j) => (
                  <Table.Td key={j}>{btn(`${i}:${j}`, c.count)}</Table.Td>
                ))}
                <Table.Td>{btn(`${i}:total`, r.total.count)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td fw={700}>All facilities</Table.Td>
              {s.totals.map((c, j) => (
                <Table.Td key={j}>{btn(`total:${j}`, c.count)}</Table.Td>
              ))}
              <Table.Td>{btn('total:total', s.grandTotal.count)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {selected && rowIds !== undefined && (
        <Text size="sm" data-testid="cell-rows">
          Rows behind this count: {rowIds}
        </Text>
      )}
    </Stack>
  );
}
