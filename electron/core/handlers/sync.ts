// Several laptops: device identity, bundles, conflicts, duplicate people (db/sync/ does the work).
import { fingerprintOf, localDeviceId } from '../../../db/history/device';
import { exportBundle, importBundle } from '../../../db/sync/bundle';
import { conflictDetail, duplicatePeople, listConflicts, mergePeople, resolveConflict, unmergePeople } from '../../../db/sync/conflicts';
import { openConflictCount } from '../../../db/sync/state';
import { setDevice } from '../../../db/sync/devices';
import type { Db } from '../../../db/driver';
import { AppError, writeMeta } from './context';
import type { Handlers } from './types';

type SyncChannel = Extract<keyof Handlers, `sync:${string}` | 'people:duplicates' | 'people:merge' | 'people:unmerge'>;

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
    return { local: devices.find((d) => d.local)!, devices, openConflicts: openConflictCount(ctx.db) };
  },
  'sync:rename-device': ({ id, name }, ctx) => {
    setDevice(ctx.db, id, { name }, writeMeta(ctx, null));
    return device(ctx.db, id);
  },
  'sync:set-trusted': ({ id, trusted }, ctx) => {
    setDevice(ctx.db, id, { trusted }, writeMeta(ctx, null));
    return device(ctx.db, id);
  },
  'sync:export': ({ folder, forDevice, passphrase }, ctx) => exportBundle(ctx.db, { folder, forDevice, passphrase, now: ctx.now() }),
  'sync:import': ({ file, passphrase }, ctx) => importBundle(ctx.db, { file, passphrase, now: ctx.now() }),
  'sync:conflicts': (_input, ctx) => listConflicts(ctx.db) as never,
  'sync:conflict': ({ entity, id }, ctx) => conflictDetail(ctx.db, entity, id) as never,
  'sync:resolve': ({ fields, ...input }, ctx) =>
    resolveConflict(ctx.db, { ...input, data: fields ? Object.fromEntries(fields.map((f) => [f.field, f.value])) : undefined }, writeMeta(ctx, input.reason)) as never,
  'people:duplicates': (_input, ctx) => duplicatePeople(ctx.db),
  'people:merge': (input, ctx) => mergePeople(ctx.db, input, writeMeta(ctx, input.reason)),
  'people:unmerge': (input, ctx) => unmergePeople(ctx.db, input, writeMeta(ctx, input.reason)),
};
