// The dashboard: the pattern at a glance (incidents over time by category, by facility, the
// counsel-present and document-signed rates, new this week, open conflicts, out-of-date drafts),
// with the incident list's filters.
import { z } from 'zod';
import { CategoryCode, Id, IncidentStatus, IsoDate } from '../schemas';

const count = z.number().int().nonnegative();

export const DashboardInput = z
  .object({
    /** The same filters as the incident list (incidents whose date or range overlaps [from, to]). */
    facilityId: Id.optional(),
    category: CategoryCode.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    personId: Id.optional(),
    status: IncidentStatus.optional(),
    counselPresent: z.boolean().optional(),
    documentSigned: z.boolean().optional(),
    /** Bars by calendar month, or by week (Monday to Sunday). */
    bucket: z.enum(['week', 'month']).default('month'),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ['to'], message: 'must not be before From' })
  .prefault({});

/** A yes among the incidents where the question was answered. */
const Rate = z.object({ yes: count, answered: count });

export const DashboardOutput = z.object({
  /** Incidents matching the filters (each once, whatever its categories). */
  total: count,
  bucket: z.enum(['week', 'month']),
  /**
   * Each period from the first to the last with an incident (none skipped), clipped to the period
   * filter. An incident counts in every period its date range touches, and once per category.
   */
  periods: z.array(
    z.object({
      from: IsoDate,
      to: IsoDate,
      incidents: count,
      categories: z.array(z.object({ category: CategoryCode, n: count })),
    }),
  ),
  categories: z.array(z.object({ category: CategoryCode, n: count })),
  facilities: z.array(z.object({ facilityId: Id, name: z.string(), n: count })),
  counselPresent: Rate,
  documentSigned: Rate,
  /** Live incidents entered since Monday (UTC) matching the facility, category and other filters but not the period. */
  newThisWeek: z.object({ since: IsoDate, n: count }),
  /** Records edited on two laptops with no choice made yet (the whole database). */
  openConflicts: count,
  /** Kept edits of a record that has changed since the edit began (the whole database). */
  outOfDateDrafts: count,
});
export type DashboardOutput = z.infer<typeof DashboardOutput>;

export const dashboardChannels = {
  'dashboard:summary': {
    summary: 'The dashboard: incidents over time by category, by facility, rates, new this week, conflicts and stale drafts',
    input: DashboardInput,
    output: DashboardOutput,
  },
} as const;
