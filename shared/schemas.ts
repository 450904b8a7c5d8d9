import { z } from 'zod';
import { normalizeANumber } from './a-number';
import { CATEGORY_CODES, DETENTION_STANDARDS, FACILITY_OPERATORS, US_STATES } from './vocab';

// Every string and array crossing the boundary is bounded, so no payload can grow without limit.
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const requiredText = (max: number, what: string) => text(max).min(1, `${what} is required`);
const optionalText = (max: number) =>
  text(max)
    .optional()
    .transform((s) => (s === undefined || s === '' ? null : s));

export const Id = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a record id (ULID)');
export type Id = z.infer<typeof Id>;

export const IsoDate = z.iso.date('must be a date written YYYY-MM-DD');

export const ANumber = z
  .string()
  .max(40, 'must be at most 40 characters')
  .transform((raw, ctx) => {
    const r = normalizeANumber(raw);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.value;
  });

export const CategoryCode = z.enum(CATEGORY_CODES, 'must be a category code from the vocabulary');
export const FacilityOperator = z.enum(FACILITY_OPERATORS, 'must be one of the operator kinds');
export const DetentionStandard = z.enum(DETENTION_STANDARDS, 'must be PBNDS_2011, NDS_2019 or OTHER');
export const UsState = z.enum(US_STATES, 'must be a two-letter US state or territory code');

const RecordMeta = {
  id: Id,
  version: z.number().int().positive(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

// ---- Facility ------------------------------------------------------------------------------

export const FacilityInput = z.object({
  name: requiredText(200, 'Name'),
  city: requiredText(100, 'City'),
  state: UsState,
  operator: FacilityOperator,
  operatorName: optionalText(200),
  standard: DetentionStandard,
});
export type FacilityInput = z.input<typeof FacilityInput>;

export const Facility = z.object({
  ...RecordMeta,
  name: z.string(),
  city: z.string(),
  state: UsState,
  operator: FacilityOperator,
  operatorName: z.string().nullable(),
  standard: DetentionStandard,
});
export type Facility = z.infer<typeof Facility>;

// ---- Person --------------------------------------------------------------------------------

export const PersonInput = z.object({
  familyName: requiredText(200, 'Family name'),
  givenName: requiredText(200, 'Given name'),
  nameOriginal: optionalText(200),
  aNumber: ANumber,
  birthDate: IsoDate.optional().or(z.literal('').transform(() => undefined)),
  nationality: optionalText(100),
  currentFacilityId: Id.optional().or(z.literal('').transform(() => undefined)),
});
export type PersonInput = z.input<typeof PersonInput>;

export const Person = z.object({
  ...RecordMeta,
  familyName: z.string(),
  givenName: z.string(),
  nameOriginal: z.string().nullable(),
  aNumber: z.string().regex(/^\d{9}$/),
  birthDate: z.string().nullable(),
  nationality: z.string().nullable(),
  currentFacilityId: Id.nullable(),
});
export type Person = z.infer<typeof Person>;

// ---- Incident ------------------------------------------------------------------------------

export const IncidentInput = z.object({
  personId: Id,
  facilityId: Id,
  occurredOn: IsoDate,
  categories: z
    .array(CategoryCode)
    .min(1, 'choose at least one category')
    .max(CATEGORY_CODES.length, 'too many categories')
    .refine((c) => new Set(c).size === c.length, 'a category is listed twice'),
  summary: requiredText(10_000, 'Summary'),
});
export type IncidentInput = z.input<typeof IncidentInput>;

export const Incident = z.object({
  ...RecordMeta,
  personId: Id,
  facilityId: Id,
  occurredOn: z.string(),
  categories: z.array(CategoryCode),
  summary: z.string(),
});
export type Incident = z.infer<typeof Incident>;

export const IncidentRow = Incident.extend({
  personName: z.string(),
  facilityName: z.string(),
});
export type IncidentRow = z.infer<typeof IncidentRow>;

// ---- Lists ---------------------------------------------------------------------------------

export const Page = z.object({
  limit: z.number().int().min(1).max(1000).default(200),
  offset: z.number().int().min(0).max(100_000_000).default(0),
});

export const ListFacilitiesInput = Page.extend({}).default({ limit: 200, offset: 0 });
export const ListPeopleInput = Page.extend({
  facilityId: Id.optional(),
}).default({ limit: 200, offset: 0 });
export const ListIncidentsInput = Page.extend({
  personId: Id.optional(),
  facilityId: Id.optional(),
  category: CategoryCode.optional(),
}).default({ limit: 200, offset: 0 });

export const GetById = z.object({ id: Id });

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int().nonnegative() });
