// Plain shaping of the dashboard's numbers for the charts, and what a click on a bar asks of the
// incident list (the same filters, narrowed to the bar).
import type { DashboardOutput } from '../../../../shared/contract/dashboard';
import { CATEGORIES } from '../../../../shared/vocab';
import { NO_FILTERS, filterInput, type FieldFilters, type IncidentFilters } from '../incidents/incident-filters';

/** The dashboard's filters: the incident list's, without its search words and deleted switch. */
export type DashboardFilters = FieldFilters & { bucket: 'week' | 'month' };

const { text: _text, deleted: _deleted, ...listDefaults } = NO_FILTERS;
/** The incident list's defaults, by month. */
export const NO_DASHBOARD_FILTERS: DashboardFilters = { ...listDefaults, bucket: 'month' };

/** Okabe–Ito colours (told apart with the common colour-vision differences), then grey for the rest. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000'];
export const OTHER_COLOUR = '#A3A3A3';
export const OTHER_KEY = 'OTHER_CATEGORIES';

/** The channel's input for these filters. */
export function summaryInput(f: DashboardFilters) {
  return { bucket: f.bucket, ...filterInput(f) };
}

/** The incident list's filters for a click: the dashboard's, narrowed to what the bar stands for. */
export function listFiltersFor(f: DashboardFilters, narrow: Partial<IncidentFilters>): IncidentFilters {
  const { bucket: _bucket, ...rest } = f;
  return { ...NO_FILTERS, ...rest, ...narrow };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Jun 2026", or "15 Jun" for a week (with the year when it is January's first week or the first bar). */
export function periodLabel(p: { from: string }, bucket: 'week' | 'month', withYear = false): string {
  const [y, m, d] = p.from.split('-') as [string, string, string];
  const month = MONTHS[Number(m) - 1]!;
  if (bucket === 'month') return `${month} ${y}`;
  return `${Number(d)} ${month}${withYear ? ` ${y}` : ''}`;
}

/** A period in words for the tooltip and the click: "1–30 Jun 2026". */
export function periodWords(p: { from: string; to: string }): string {
  const [fy, fm, fd] = p.from.split('-') as [string, string, string];
  const [ty, tm, td] = p.to.split('-') as [string, string, string];
  const start = `${Number(fd)}${fm === tm && fy === ty ? '' : ` ${MONTHS[Number(fm) - 1]}`}${fy === ty ? '' : ` ${fy}`}`;
  return `${start}–${Number(td)} ${MONTHS[Number(tm) - 1]} ${ty}`;
}

export interface TimeSeries {
  rows: Record<string, string | number>[];
  series: { name: string; label: string; color: string }[];
}

/** The stacked bars: the most frequent categories each in a colour, the rest together in grey. */
export function timeSeries(d: DashboardOutput, max = PALETTE.length): TimeSeries {
  const shown = d.categories.slice(0, d.categories.length > max ? max - 1 : max).map((c) => c.category);
  const rest = d.categories.length > shown.length;
  const series: TimeSeries['series'] = shown.map((c, i) => ({ name: c, label: CATEGORIES[c].label, color: PALETTE[i]! }));
  const others = d.categories.length - shown.length;
  if (rest) series.push({ name: OTHER_KEY, label: `${others} more categories`, color: OTHER_COLOUR });
  const firstYear = new Set<string>();
  const rows = d.periods.map((p, i) => {
    const year = p.from.slice(0, 4);
    const withYear = i === 0 || !firstYear.has(year);
    firstYear.add(year);
    const row: Record<string, string | number> = { period: periodLabel(p, d.bucket, withYear), from: p.from, to: p.to, incidents: p.incidents };
    for (const c of shown) row[c] = 0;
    if (rest) row[OTHER_KEY] = 0;
    for (const { category, n } of p.categories) {
      const key = shown.includes(category) ? category : OTHER_KEY;
      row[key] = (row[key] as number) + n;
    }
    return row;
  });
  return { rows, series };
}

/** "23%", or "—" when nobody was asked. */
export function percent(yes: number, answered: number): string {
  return answered ? `${Math.round((100 * yes) / answered)}%` : '—';
}
