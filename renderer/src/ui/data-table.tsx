import { Box, Center, Loader, Text, UnstyledButton } from '@mantine/core';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import { compareValues, type SortValue } from './text';
import classes from './data-table.module.css';

export interface Column<T> {
  id: string;
  header: string;
  /** Width in pixels; a column with `grow` takes what is left (at least its width). */
  width: number;
  grow?: boolean;
  /** The value sorted on, and shown when there is no `render`. */
  value?: (row: T) => SortValue;
  render?: (row: T) => ReactNode;
  sortable?: boolean;
  align?: 'start' | 'end' | 'center';
  /** Text that may be Arabic or another right-to-left script: its direction follows its content. */
  bidi?: boolean;
}

export interface Sort {
  id: string;
  desc: boolean;
}

export interface DataTableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  /** Accessible name of the table. */
  label: string;
  sort?: Sort | null;
  onSortChange?: (sort: Sort | null) => void;
  /** When true the rows arrive already sorted (by the database); otherwise the table sorts them. */
  serverSort?: boolean;
  onRowClick?: (row: T) => void;
  /** Total rows that exist; when larger than rows.length, scrolling near the end calls onEndReached. */
  total?: number;
  onEndReached?: () => void;
  loading?: boolean;
  empty?: ReactNode;
  /**
   * A fixed height, or 'fill': down to the bottom of the window from where the table starts (at least
   * six rows), so a taller window shows more rows and the page itself need not scroll.
   */
  height?: number | string;
  rowHeight?: number;
  rowTestId?: (row: T) => string;
  /** Dims a row (e.g. a deleted record shown on request). */
  muted?: (row: T) => boolean;
}

const HEADER_HEIGHT = 40;
/** Room kept under a table that fills the window (the page's bottom padding). */
const FILL_MARGIN = 12;

/** The height from the element's top (in the page, not the scrolled view) to the window's bottom. */
function useFillHeight(ref: { current: HTMLElement | null }, on: boolean, least: number): number {
  const [height, setHeight] = useState(least);
  useLayoutEffect(() => {
    if (!on) return;
    const measure = () => {
      const el = ref.current;
      if (!el) return;
      const top = el.getBoundingClientRect().top + window.scrollY;
      const next = Math.max(least, Math.floor(window.innerHeight - top - FILL_MARGIN));
      setHeight((h) => (h === next ? h : next));
    };
    measure();
    // What sits above the table (filters that wrap, a note that appears) moves it: measured again.
    const above = new ResizeObserver(measure);
    above.observe(document.body);
    window.addEventListener('resize', measure);
    return () => {
      above.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref, on, least]);
  return height;
}

/**
 * A virtualised table: only the rows in view are in the DOM, so it stays smooth at 100,000 rows.
 * TanStack Table holds the columns and sort state; TanStack Virtual positions the rows. The header
 * stays fixed; a row opens with a click or with Enter.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { rows, columns, rowKey, sort = null, onSortChange, serverSort = false, onRowClick } = props;
  const rowHeight = props.rowHeight ?? 40;
  const scrollRef = useRef<HTMLDivElement>(null);
  const filled = useFillHeight(scrollRef, props.height === 'fill', HEADER_HEIGHT + 6 * rowHeight);

  const sorted = useMemo(() => {
    if (serverSort || !sort) return rows;
    const col = columns.find((c) => c.id === sort.id);
    if (!col?.value) return rows;
    const get = col.value;
    // Compare each distinct value once with the collator, then sort rows by rank: cheap when
    // values repeat (facilities, dates, statuses), and never worse than sorting the values.
    const keys = rows.map(get);
    const distinct = [...new Set(keys)].sort(compareValues);
    const rank = new Map(distinct.map((v, i) => [v, i]));
    const empty = (v: SortValue) => v === null || v === undefined || v === '';
    const keyed = rows.map((row, i) => ({ row, key: keys[i], r: rank.get(keys[i])!, i }));
    keyed.sort((a, b) => {
      const ea = empty(a.key);
      const eb = empty(b.key);
      if (ea || eb) return ea === eb ? a.i - b.i : ea ? 1 : -1; // empties last in both directions
      return (sort.desc ? b.r - a.r : a.r - b.r) || a.i - b.i;
    });
    return keyed.map((k) => k.row);
  }, [rows, columns, sort, serverSort]);

  const columnDefs = useMemo<ColumnDef<T>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        size: c.width,
        enableSorting: c.sortable ?? Boolean(c.value),
        accessorFn: (row: T) => c.value?.(row),
        cell: (info) => (c.render ? c.render(info.row.original) : formatValue(c.value?.(info.row.original))),
      })),
    [columns],
  );

  const sorting: SortingState = sort ? [sort] : [];
  const table = useReactTable<T>({
    data: sorted as T[],
    columns: columnDefs,
    state: { sorting },
    manualSorting: true,
    enableMultiSort: false,
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      onSortChange?.(next[0] ? { id: next[0].id, desc: next[0].desc } : null);
    },
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => rowKey(row),
  });
  const tableRows = table.getRowModel().rows;
  const total = props.total ?? sorted.length;
  const more = total > sorted.length;

  const virtualizer = useVirtualizer({
    count: tableRows.length + (more ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  const { onEndReached, loading } = props;
  useEffect(() => {
    if (more && !loading && last && last.index >= tableRows.length - 20) onEndReached?.();
  }, [more, loading, last, tableRows.length, onEndReached]);

  const widthOf = (c: Column<T>): CSSProperties =>
    c.grow ? { flex: `1 0 ${c.width}px`, minWidth: c.width } : { flex: `0 0 ${c.width}px`, width: c.width };
  const minWidth = columns.reduce((s, c) => s + c.width, 0);
  const byId = new Map(columns.map((c) => [c.id, c]));

  const onKey = (e: KeyboardEvent<HTMLDivElement>, row: T, index: number) => {
    if (e.key === 'Enter' && onRowClick) {
      e.preventDefault();
      onRowClick(row);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = index + (e.key === 'ArrowDown' ? 1 : -1);
      if (next < 0 || next >= tableRows.length) return;
      virtualizer.scrollToIndex(next);
      requestAnimationFrame(() =>
        scrollRef.current?.querySelector<HTMLElement>(`[aria-rowindex="${next + 2}"]`)?.focus(),
      );
    }
  };

  return (
    <Box
      ref={scrollRef}
      className={classes.scroll}
      style={{ height: props.height === 'fill' ? filled : (props.height ?? 520) }}
      role="table"
      aria-label={props.label}
      aria-rowcount={total + 1}
      data-loaded={tableRows.length}
    >
      <div className={classes.inner} style={{ minWidth, height: virtualizer.getTotalSize() + HEADER_HEIGHT }}>
        <div className={classes.header} role="rowgroup" style={{ height: HEADER_HEIGHT }}>
          {table.getHeaderGroups().map((group) => (
            <div key={group.id} role="row" aria-rowindex={1} className={classes.headerRow}>
              {group.headers.map((h) => {
                const col = byId.get(h.column.id)!;
                const dirn = h.column.getIsSorted();
                const canSort = h.column.getCanSort();
                return (
                  <div
                    key={h.id}
                    role="columnheader"
                    aria-sort={dirn === 'asc' ? 'ascending' : dirn === 'desc' ? 'descending' : 'none'}
                    className={classes.th}
                    style={{ ...widthOf(col), justifyContent: justify(col.align) }}
                  >
                    {canSort ? (
                      <UnstyledButton className={classes.sortButton} onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        <span className={classes.sortMark} aria-hidden>
                          {dirn === 'asc' ? '▲' : dirn === 'desc' ? '▼' : '↕'}
                        </span>
                      </UnstyledButton>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
        <div role="rowgroup" className={classes.body}>
          {items.map((v) => {
            const row = tableRows[v.index];
            if (!row) {
              return (
                <div key="loader" className={classes.loaderRow} style={{ height: rowHeight, transform: `translateY(${v.start}px)` }}>
                  <Loader size="xs" />
                </div>
              );
            }
            const original = row.original;
            const muted = props.muted?.(original) ?? false;
            return (
              <div
                key={row.id}
                role="row"
                aria-rowindex={v.index + 2}
                tabIndex={onRowClick ? 0 : -1}
                data-testid={props.rowTestId?.(original)}
                data-muted={muted || undefined}
                data-clickable={onRowClick ? true : undefined}
                className={classes.tr}
                style={{ height: rowHeight, transform: `translateY(${v.start}px)` }}
                onClick={onRowClick ? () => onRowClick(original) : undefined}
                onKeyDown={(e) => onKey(e, original, v.index)}
              >
                {row.getVisibleCells().map((cell) => {
                  const col = byId.get(cell.column.id)!;
                  return (
                    <div
                      key={cell.id}
                      role="cell"
                      className={classes.td}
                      style={{ ...widthOf(col), justifyContent: justify(col.align) }}
                    >
                      <div className={classes.cell} dir={col.bidi ? 'auto' : undefined} style={{ textAlign: col.align ?? 'start' }}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </div>
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
      {tableRows.length === 0 && (
        <Center className={classes.empty}>
          {props.loading ? <Loader size="sm" /> : <Text c="dimmed" size="sm">{props.empty ?? 'Nothing to show.'}</Text>}
        </Center>
      )}
    </Box>
  );
}

function justify(align: Column<unknown>['align']): CSSProperties['justifyContent'] {
  return align === 'end' ? 'flex-end' : align === 'center' ? 'center' : 'flex-start';
}

function formatValue(v: SortValue): ReactNode {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return String(v);
}
