import { Button, Stack, Table, Text } from '@mantine/core';
import { Empty } from '../../ui/components';
import type { Preview } from './draft';

/** Table 1 as clickable counts: a click shows the incident rows behind the number. */
export function SummaryGrid({ preview, selected, onSelect }: { preview: Preview; selected: string | undefined; onSelect: (k: string) => void }) {
  const s = preview.summary;
  if (!s.rows.length) return <Empty>No incident matches this definition.</Empty>;
  const cellFor = (key: string) => {
    const [r, c] = key.split(':');
    const row = r === 'total' ? null : s.rows[Number(r)];
    if (c === 'total') return row ? row.total : s.grandTotal;
    return row ? row.cells[Number(c)] : s.totals[Number(c)];
  };
  const chosen = selected ? cellFor(selected) : undefined;
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
      {chosen && (
        <Text size="sm" data-testid="cell-rows">
          Rows behind this count: {chosen.rowIds.join(', ')}
        </Text>
      )}
    </Stack>
  );
}
