// Filing codes (CM-###) unique office-wide after any merge. Two laptops that give codes without
// syncing can give one code to two people; the clash is found from the merged records alone (the
// live people sharing a code), so every laptop holding the same versions sees the same clashes. It
// counts as an open conflict (Sync page, header badge, export gate) until resolved: the people whose
// code never appeared in a logged export (the export log travels in bundles) get new codes, as new
// versions with the reason; a code that appeared in a logged export never changes. When two or more
// of them appeared in exports, they all keep it and the clash is recorded as kept, with the reason.
// See the README, "Filing codes".
import { AppError } from '../../shared/errors';
import type { Db } from '../driver';
import { newId } from '../ids';
import { stmt } from '../stmt';
import { writeSetting } from '../history/chained';
import type { WriteMeta } from '../history/versions';
import { formatFilingCode, personStore } from '../repo/people';

export interface ClashHolder {
  id: string;
  familyName: string;
  givenName: string;
  createdAt: string;
  /** The person appeared in a logged export (their code is cited there, so it never changes). */
  exported: boolean;
  /** Keeps the code when the clash is resolved; the others get new codes. */
  keeps: boolean;
}

export interface CodeClash {
  code: string;
  people: ClashHolder[];
}

/** The settings that record a clash kept (every holder's code appeared in an export), by prefix. */
const KEPT = 'filing-code-kept:';
/** The setting written with each new code: verify accepts the new code through it. */
export const RECODE = 'filing-recode:';

function keptClashes(db: Db): { code: string; people: string[] }[] {
  return (stmt(db, `SELECT value FROM settings WHERE key >= ? AND key < ?`).pluck().all(KEPT, `${KEPT.slice(0, -1)};`) as string[]).map((v) => JSON.parse(v) as { code: string; people: string[] });
}

/** Whether a person appeared in a logged export (their id among the exhibit's records). */
export function appearedInExport(db: Db, personId: string): boolean {
  return stmt(db, `SELECT 1 AS one FROM report_exports e, json_each(e.manifest, '$.recordIds.people') j WHERE j.value = ? LIMIT 1`).get(personId) !== undefined;
}

/** Every code held by two or more live people, with who keeps it (deterministic from the records). */
export function allCodeClashes(db: Db): CodeClash[] {
  const rows = stmt(
    db,
    `SELECT filing_code AS code, id, family_name AS familyName, given_name AS givenName, created_at AS createdAt FROM people
      WHERE deleted_at IS NULL AND filing_code IN (SELECT filing_code FROM people WHERE deleted_at IS NULL GROUP BY filing_code HAVING count(*) > 1)
      ORDER BY filing_code, created_at, id`,
  ).all() as { code: string; id: string; familyName: string; givenName: string; createdAt: string }[];
  const byCode = new Map<string, ClashHolder[]>();
  for (const { code, ...p } of rows) byCode.set(code, [...(byCode.get(code) ?? []), { ...p, exported: appearedInExport(db, p.id), keeps: false }]);
  return [...byCode].map(([code, people]) => {
    // Who appeared in an export keeps the code; if no one did, the person entered first (then by id).
    const exported = people.filter((p) => p.exported);
    for (const p of exported.length ? exported : [people[0]!]) p.keeps = true;
    return { code, people };
  });
}

/** The clashes not yet resolved: someone would get a new code, or several exported holders not yet recorded as kept. */
export function openCodeClashes(db: Db): CodeClash[] {
  const clashes = allCodeClashes(db);
  if (clashes.length === 0) return [];
  const kept = keptClashes(db);
  return clashes.filter((c) => {
    if (c.people.some((p) => !p.keeps)) return true;
    return !kept.some((k) => k.code === c.code && c.people.every((p) => k.people.includes(p.id)));
  });
}

/** The next number past every code this laptop has seen or given (a new code is never one seen). */
function nextFilingNumber(db: Db): number {
  const seen = stmt(db, `SELECT max(CAST(substr(filing_code, 4) AS INTEGER)) AS n FROM people WHERE filing_code GLOB 'CM-[0-9]*'`).get() as { n: number | null };
  const own = stmt(db, `SELECT max(n) AS n FROM filing_codes`).get() as { n: number | null };
  return Math.max(seen.n ?? 0, own.n ?? 0) + 1;
}

export interface ClashResolution {
  code: string;
  kept: string[];
  renumbered: { id: string; from: string; to: string }[];
  /** Two or more holders appeared in exports: they keep the code, and the clash is recorded as kept. */
  keptByAll: boolean;
}

/**
 * Resolves one clash: each holder who does not keep the code gets the next code past every one seen
 * (a new version of the person with the reason, and a chained setting naming the new code); when
 * several holders keep it (each appeared in an export), the clash is recorded as kept.
 */
export function resolveCodeClash(db: Db, input: { code: string; reason: string }, meta: WriteMeta): ClashResolution {
  const clash = openCodeClashes(db).find((c) => c.code === input.code);
  if (!clash) throw new AppError('NOT_FOUND', `code: no open clash of filing code ${input.code}`, [{ path: ['code'], message: 'no open clash' }]);
  const m = { ...meta, reason: input.reason };
  const renumbered: ClashResolution['renumbered'] = [];
  for (const p of clash.people.filter((x) => !x.keeps)) {
    const person = personStore.get(db, p.id)!;
    const to = formatFilingCode(nextFilingNumber(db));
    writeSetting(db, `${RECODE}${p.id}:${to}`, JSON.stringify({ person: p.id, from: input.code, to }), m);
    personStore.update(db, p.id, person.version, { ...person, filingCode: to }, m);
    renumbered.push({ id: p.id, from: input.code, to });
  }
  const kept = clash.people.filter((p) => p.keeps).map((p) => p.id);
  const keptByAll = kept.length > 1;
  if (keptByAll) writeSetting(db, `${KEPT}${newId()}`, JSON.stringify({ code: input.code, people: kept }), m);
  return { code: input.code, kept, renumbered, keptByAll };
}
