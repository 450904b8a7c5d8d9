// Hostile input proof: fast-check throws malformed, oversized, wrong-typed and prototype-polluting
// payloads at every channel of the contract (iterated, so channels added later are covered too).
// No call may throw or hang; every payload the schema refuses must come back ok:false with issues;
// and every call that answers ok:false, valid payload or not, must leave the database content exactly
// as it was (each channel keeps its own baseline, moved on only by a call that answers ok:true).
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract/names';
import { contract, ERROR_CODES } from '../../shared/contract';
import type { Session } from '../../electron/core/session';
import { SAMPLE_FACILITY, SAMPLE_PERSON, cleanupTempDirs, contentHash, testSession } from '../helpers';

const RUNS_PER_CHANNEL = Math.ceil(10_000 / CHANNEL_NAMES.length) + 20;
const CALL_TIMEOUT_MS = 10_000;
// Valid payloads that rewrite the file (rekey, restore, set-up) are slow on purpose; a few are enough.
const COSTLY = new Set(['vault:setup', 'vault:rekey', 'vault:unlock', 'backup:create', 'backup:restore', 'backup:configure']);
const MAX_COSTLY_VALID = 3;

// Valid payloads each run tries first, which the handlers refuse after looking at the database: an
// incident for nobody (its text is indexed before the person is looked up), a person already there.
const NOBODY = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const VALID_REFUSED: Partial<Record<(typeof CHANNEL_NAMES)[number], unknown[]>> = {
  'incidents:create': [{ personId: NOBODY, facilityId: NOBODY, occurredOn: '2026-06-18', categories: ['WATER'], summary: 'For nobody', ownWords: 'nobody said this' }],
  'people:create': [SAMPLE_PERSON],
};

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
const TEN_MB_UNICODE = 'é'.repeat(5 * 1024 * 1024) + '\uD800';

function deepObject(depth: number): unknown {
  let o: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) o = { a: o, __proto__: { polluted: true } };
  return o;
}
function deepArray(depth: number): unknown {
  let o: unknown = [];
  for (let i = 0; i < depth; i++) o = [o];
  return o;
}
// Built once and shared: generating them per case would spend the time budget on allocation.
const DEEP = [deepObject(200), deepObject(5000), deepArray(200), deepArray(5000)];
const HUGE_ARRAY = Array.from({ length: 100_000 }, (_, i) => i);
const PROTO = () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown;

const atom: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    NaN, Infinity, -Infinity, -0, 2 ** 53 + 2, 1e308, -1, 0, 1.5, 2 ** 31, null, undefined, true, false,
    '', ' ', '\t\n', TEN_MB, TEN_MB_UNICODE, '\uD800', '\uDFFFabc', 'a\uD83D', '\u0000', 'a\u0000b',
    '2026-02-30', '2026-13-01', '2026-06-18T25:00', 'not-a-date', '0000-00-00', '+275760-09-13',
    '__proto__', 'constructor', 'prototype', '../../etc/passwd', '/', 'C:\\', '%s%n', "'; DROP TABLE people; --",
    '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'A 012-345-678', 'FOOD', 'PBNDS_2011', 'MI',
    10n ** 30n,
  ),
  fc.constant(new Date(NaN)),
  fc.constant(new Date('2026-06-18T00:00:00Z')),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer(),
  fc.double(),
);

const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: atom },
  { weight: 1, arbitrary: fc.array(atom, { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), atom, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constant(null).map(PROTO) },
  { weight: 2, arbitrary: fc.constantFrom(...DEEP) },
  { weight: 1, arbitrary: fc.constant(HUGE_ARRAY) },
);

/** The field names a channel's input object knows (through defaults, optionals, pipes and unions). */
function shapeKeys(schema: z.ZodType): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'object':
      return Object.keys(def.shape as object);
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
      return shapeKeys(def.innerType as z.ZodType);
    case 'pipe':
      return shapeKeys(def.in as z.ZodType);
    case 'union':
      return (def.options as z.ZodType[]).flatMap(shapeKeys);
    default:
      return [];
  }
}

function payloadFor(channel: (typeof CHANNEL_NAMES)[number]): fc.Arbitrary<unknown> {
  const keys = [...new Set(shapeKeys(contract[channel].input))];
  const shaped = keys.length
    ? fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] })
    : fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 3 });
  return fc.oneof(
    { weight: 3, arbitrary: shaped },
    { weight: 1, arbitrary: value },
    // A shaped payload with a polluting key on top.
    { weight: 1, arbitrary: shaped.map((p) => Object.assign(PROTO() as object, p)) },
  );
}

function withTimeout<T>(p: Promise<T>, label: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(`${label} hung for ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS))),
  ]);
}

let s: Session;
let casesRun = 0;
let invalidCases = 0;
/** Calls with a valid payload that were refused, each checked to have written nothing. */
let validRefused = 0;
beforeAll(async () => {
  s = testSession();
  // Something to protect: a facility, a person and an incident.
  const f = await s.dispatch('facilities:create', SAMPLE_FACILITY);
  const p = await s.dispatch('people:create', { ...SAMPLE_PERSON, currentFacilityId: f.ok ? (f.data as { id: string }).id : undefined });
  if (!f.ok || !p.ok) throw new Error('seeding failed');
  await s.dispatch('incidents:create', {
    personId: (p.data as { id: string }).id,
    facilityId: (f.data as { id: string }).id,
    occurredOn: '2026-06-18',
    categories: ['WATER'],
    summary: 'Seed incident',
  });
});
afterAll(() => {
  s.vault.closeQuietly();
  cleanupTempDirs();
  console.log(`hostile input: ${casesRun} cases run over ${CHANNEL_NAMES.length} channels, ${invalidCases} of them invalid, ${validRefused} valid ones refused`);
});

describe('hostile input over every channel of the contract', () => {
  for (const channel of CHANNEL_NAMES) {
    // Catches: a handler that writes and then refuses outside a transaction (seen with dispatch's
    // transaction left out and createPerson allocating the filing code before refusing a taken
    // A-number: the VALID_REFUSED person). The content hash was once compared only for payloads the
    // schema refuses, from one baseline that any valid call reset.
    it(`${channel}: never throws or hangs; every ok:false answer writes nothing, refused payloads come with issues`, async () => {
      let costlyValid = 0;
      let baseline = contentHash(s.ctx.db);
      await fc.assert(
        fc.asyncProperty(payloadFor(channel), async (payload) => {
          const valid = contract[channel].input.safeParse(payload).success;
          if (valid && COSTLY.has(channel) && ++costlyValid > MAX_COSTLY_VALID) return;
          casesRun++;
          const r = await withTimeout(s.dispatch(channel, payload), channel);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(typeof r.ok).toBe('boolean');
          if (VALID_REFUSED[channel]?.includes(payload)) {
            expect(valid).toBe(true);
            expect(r.ok).toBe(false);
          }
          if (!r.ok) {
            expect(ERROR_CODES).toContain(r.error.code);
            expect(typeof r.error.message).toBe('string');
            expect(r.error.message.length).toBeLessThan(20_000);
            expect(contentHash(s.ctx.db), `${channel} answered ${r.error.code} and wrote`).toBe(baseline);
            if (valid) validRefused++;
          }
          if (!valid) {
            invalidCases++;
            expect(r.ok).toBe(false);
            if (r.ok) return;
            expect(r.error.code).toBe('INVALID_INPUT');
            expect(r.error.issues.length).toBeGreaterThan(0);
          }
          // A call that succeeded may have written: this channel's next comparison starts from it.
          if (r.ok) baseline = contentHash(s.ctx.db);
          // Whatever happened, the database is still open.
          expect(s.vault.isOpen).toBe(true);
        }),
        { numRuns: RUNS_PER_CHANNEL, endOnFailure: true, examples: (VALID_REFUSED[channel] ?? []).map((p) => [p] as [unknown]) },
      );
    }, 300_000);
  }

  it('ran at least 10,000 cases in total, and the audit chain still verifies', () => {
    expect(casesRun).toBeGreaterThanOrEqual(10_000);
    const verified = s.vault.verify();
    expect(verified.firstBroken).toBeNull(); // printed in full when it is not
    expect(verified.ok).toBe(true);
    expect(s.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

type Def = Record<string, unknown> & { type: string; checks?: { _zod: { def: Record<string, unknown> } }[] };
const defOf = (s: unknown) => (s as { _zod: { def: Def } })._zod.def;

/** Paths of strings and arrays in a schema that have no upper bound. */
function unbounded(schema: unknown, path: string, out: string[], seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return out;
  seen.add(schema);
  // A schema may declare how it is bounded when no max is visible (e.g. a refinement on JSON size).
  if ((z.globalRegistry.get(schema as z.ZodType) as { boundedBy?: string } | undefined)?.boundedBy) return out;
  const def = defOf(schema);
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const hasMax = checks.some((c) => c.check === 'max_length' || c.check === 'length_equals');
  // A pattern anchored at both ends with no open-ended repeat bounds the length too (ids, dates).
  const boundedPattern = (p: unknown) => p instanceof RegExp && /^\^.*\$$/.test(p.source) && !/[*+]|\{\d+,\}/.test(p.source.replace(/\\./g, ''));
  switch (def.type) {
    case 'string':
      if (!hasMax && !boundedPattern(def.pattern) && !checks.some((c) => boundedPattern(c.pattern))) out.push(path);
      break;
    case 'array':
      if (!hasMax) out.push(path);
      unbounded(def.element, `${path}[]`, out, seen);
      break;
    case 'object':
      for (const [k, v] of Object.entries(def.shape as object)) unbounded(v, `${path}.${k}`, out, seen);
      if (def.catchall && defOf(def.catchall).type !== 'never' && defOf(def.catchall).type !== 'unknown') out.push(`${path}.*`);
      break;
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      unbounded(def.innerType, path, out, seen);
      break;
    case 'pipe':
      unbounded(def.in, path, out, seen);
      break;
    case 'union':
      (def.options as unknown[]).forEach((o, i) => unbounded(o, `${path}|${i}`, out, seen));
      break;
    case 'record':
    case 'map':
    case 'set':
    case 'tuple':
    case 'any':
    case 'unknown':
      out.push(`${path} (${def.type}: bound it explicitly)`);
      break;
    default: // enum, literal, number, boolean, transform, date, null…: bounded by their nature
  }
  return out;
}

describe('every input schema bounds its strings and arrays', () => {
  it('finds a max length on every string and array of every channel input', () => {
    const found = CHANNEL_NAMES.flatMap((c) => unbounded(contract[c].input, c, []));
    expect(found).toEqual([]);
  });

  it('would notice an unbounded string or array (the walker itself is checked)', async () => {
    const { z } = await import('zod');
    expect(unbounded(z.object({ a: z.string(), b: z.array(z.string().max(3)), c: z.string().regex(/^a+$/) }), 'x', [])).toEqual([
      'x.a',
      'x.b',
      'x.c',
    ]);
  });
});
