// Several laptops: device identity, bundles, conflicts, duplicates and merges, filing code clashes
// (db/sync/ does the work).
import { fingerprintOf, localDeviceId, signLocalTip } from '../../../db/history/device';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleTmpName, mergeVerified } from '../../../db/sync/bundle';
import { newId } from '../../../db/ids';
import { conflictDetail, listConflicts, resolveConflict } from '../../../db/sync/conflicts';
import { duplicateFacilities, duplicatePeople, duplicateStaff, mergeRecords, unmergeRecords, type MergeResult } from '../../../db/sync/merge';
import { allCodeClashes, openCodeClashes, resolveCodeClash } from '../../../db/sync/codes';
import { openConflictCounts } from '../../../db/sync/state';
import { setDevice } from '../../../db/sync/devices';
import type { Db } from '../../../db/driver';
import { AppError, writeMeta } from './context';
import type { Handlers } from './types';

export type MergeChannel = `${'people' | 'facilities' | 'staff'}:${'duplicates' | 'merge' | 'unmerge'}`;
type SyncChannel = Extract<keyof Handlers, `sync:${string}` | MergeChannel>;

/** people:merge's output, as it was before facilities and staff merged too. */
const asPeople = (r: MergeResult) => ({ mergeId: r.mergeId, from: r.from, into: r.into, movedInterviews: r.moved.interviews ?? 0, movedIncidents: r.moved.incidents ?? 0 });

function deviceRows(db: Db) {
  const me = localDeviceId(db);
  const rows = db.prepare(
    `SELECT d.id, d.name, d.public_key AS key, d.trusted, d.last_import_at AS lastImportAt,
       CASE WHEN d.id = ? THEN (SELECT count(*) FROM audit_log) ELSE (SELECT count(*) FROM foreign_rows f WHERE f.device = d.id) END AS versions
     FROM devices d ORDER BY d.id = ? DESC, d.name, d.id`,
  ).all(me, me) as { id: string; name: string | null; key: string; trusted: number; lastImportAt: string | null; versions: number }[];
  return rows.map((d) => ({ id: d.id, name: d.name, fingerprint: fingerprintOf(d.key), local: d.id === me, trusted: d.trusted === 1, lastImportAt: d.lastImportAt, versions: d.versions }));
}

function device(db: Db, id: string) {
  const d = deviceRows(db).find((x) => x.id === id);
  if (!d) throw new AppError('NOT_FOUND', `id: no device ${id} has been seen here`, [{ path: ['id'], message: 'unknown device' }]);
  return d;
}

export const syncHandlers: { [C in SyncChannel]: Handlers[C] } = {
  'sync:status': (_input, ctx) => {
    const devices = deviceRows(ctx.db);
    const open = openConflictCounts(ctx.db);
    return { local: devices.find((d) => d.local)!, devices, openConflicts: open.total, codeClashes: open.codeClashes };
  },
  'sync:rename-device': ({ id, name }, ctx) => {
    setDevice(ctx.db, id, { name }, writeMeta(ctx, null));
    return device(ctx.db, id);
  },
  'sync:set-trusted': ({ id, trusted }, ctx) => {
    setDevice(ctx.db, id, { trusted }, writeMeta(ctx, null));
    return device(ctx.db, id);
  },
  'sync:export': ({ folder, forDevice, passphrase, jobId }, ctx) => {
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new AppError('INVALID_INPUT', `folder: ${folder} is not a folder`, [{ path: ['folder'], message: 'not a folder' }]);
    return ctx.jobs.run('sync:export', jobId, async (job) => {
      // The local chain's head is signed here, on the connection that writes; the bundle is then
      // written where the long reads run (a reader thread in the app), and can be cancelled until
      // it is renamed into place: its temporary file is removed.
      job.progress('signing this laptop\'s chain tip', 0, 1);
      signLocalTip(ctx.db);
      const tmpId = newId();
      try {
        return await ctx.reads.writeBundle({ folder, forDevice, passphrase, now: ctx.now().toISOString(), tmpId }, job, (step, done, total) => job.progress(step, done, total));
      } catch (e) {
        // The temporary file and any journal beside it (the reader has stopped when this runs).
        for (const n of readdirSync(folder)) if (n.startsWith('.') && n.includes(bundleTmpName('', tmpId).slice(1))) rmSync(join(folder, n), { force: true });
        throw e;
      }
    });
  },
  'sync:import': ({ file, passphrase, jobId }, ctx) =>
    ctx.jobs.run('sync:import', jobId, async (job) => {
      // Opened and verified where the long reads run (a reader thread in the app), writing nothing:
      // a cancel stops it there. The merge then runs in one write transaction to its end; it checks
      // first that what was verified still holds (else verifies again, inside the transaction).
      const onStep = (step: string, done: number, total: number) => job.progress(step, done, total);
      const verified = await ctx.reads.verifyBundle({ file, passphrase }, job, onStep);
      job.check();
      job.writing();
      return ctx.db.transaction(() => mergeVerified(ctx.db, { file, passphrase, now: ctx.now() }, verified, onStep)).immediate();
    }),
  'sync:conflicts': (_input, ctx) => listConflicts(ctx.db) as never,
  'sync:conflict': ({ entity, id }, ctx) => conflictDetail(ctx.db, entity, id) as never,
  'sync:resolve': ({ fields, ...input }, ctx) =>
    resolveConflict(ctx.db, { ...input, data: fields ? Object.fromEntries(fields.map((f) => [f.field, f.value])) : undefined }, writeMeta(ctx, input.reason)) as never,
  'sync:code-clashes': (_input, ctx) => {
    const open = new Set(openCodeClashes(ctx.db).map((c) => c.code));
    return allCodeClashes(ctx.db).filter((c) => open.has(c.code));
  },
  'sync:resolve-code-clash': (input, ctx) => resolveCodeClash(ctx.db, input, writeMeta(ctx, input.reason)),
  'people:duplicates': (_input, ctx) => duplicatePeople(ctx.db),
  'people:merge': (input, ctx) => asPeople(mergeRecords(ctx.db, 'person', input, writeMeta(ctx, input.reason))),
  'people:unmerge': (input, ctx) => asPeople(unmergeRecords(ctx.db, 'person', input, writeMeta(ctx, input.reason))),
  'facilities:duplicates': (_input, ctx) => duplicateFacilities(ctx.db),
  'facilities:merge': (input, ctx) => mergeRecords(ctx.db, 'facility', input, writeMeta(ctx, input.reason)),
  'facilities:unmerge': (input, ctx) => unmergeRecords(ctx.db, 'facility', input, writeMeta(ctx, input.reason)),
  'staff:duplicates': (_input, ctx) => duplicateStaff(ctx.db),
  'staff:merge': (input, ctx) => mergeRecords(ctx.db, 'staff', input, writeMeta(ctx, input.reason)),
  'staff:unmerge': (input, ctx) => unmergeRecords(ctx.db, 'staff', input, writeMeta(ctx, input.reason)),
};
