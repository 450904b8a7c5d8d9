// The write path every versioned record shares: insert, edit with optimistic concurrency,
// tombstone and restore, each appending a version in the caller's transaction.
import { AppError } from '../../shared/errors';
import { newId } from '../ids';
import type { Db } from '../driver';
import { rawStmt, stmt } from '../stmt';
import { appendVersion, type Entity, type WriteAction, type WriteMeta } from '../history/versions';

export type ColumnKind = 'text' | 'int' | 'bool' | 'json';

export interface RecordBase {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface TableSpec<F extends object> {
  entity: Entity;
  table: string;
  /** Human name used in messages: "person", "incident"… */
  noun: string;
  /** Field → [column, kind]. Order is the column order of inserts. */
  fields: { [K in keyof F]: readonly [string, ColumnKind] };
  /** Bookkeeping columns set on insert only and not part of the record (e.g. a search rowid). */
  insertOnly?: readonly string[];
}

export interface Store<F extends object> {
  spec: TableSpec<F>;
  /** SELECT list of the record's columns, for a table aliased `alias`. */
  columns: (alias: string) => string;
  decode: (row: Record<string, unknown>) => F & RecordBase;
  /** Runs a SELECT of `columns(...)` (plus any text columns) and decodes every row. */
  all: <X = object>(db: Db, sql: string, params: readonly unknown[]) => (F & RecordBase & X)[];
  get: (db: Db, id: string, opts?: { includeDeleted?: boolean }) => (F & RecordBase) | undefined;
  create: (db: Db, fields: F, meta: WriteMeta, id?: string, insertOnly?: readonly unknown[]) => F & RecordBase;
  update: (db: Db, id: string, expectedVersion: number, fields: F, meta: WriteMeta) => { record: F & RecordBase; before: F & RecordBase; changed: boolean };
  setDeleted: (db: Db, id: string, expectedVersion: number, deleted: boolean, meta: WriteMeta) => { record: F & RecordBase; before: F & RecordBase };
  /** The versioned data: every field plus deletedAt. */
  dataOf: (record: F & RecordBase) => Record<string, unknown>;
}

export function makeStore<F extends object>(spec: TableSpec<F>): Store<F> {
  const entries = Object.entries(spec.fields) as [keyof F & string, readonly [string, ColumnKind]][];
  const columns = (alias: string) => {
    const a = alias ? `${alias}.` : '';
    return [
      `${a}id AS id`,
      `${a}version AS version`,
      `${a}created_at AS createdAt`,
      `${a}updated_at AS updatedAt`,
      `${a}deleted_at AS deletedAt`,
      ...entries.map(([f, [c]]) => `${a}${c} AS "${f}"`),
    ].join(', ');
  };
  const selectById = `SELECT ${columns('')} FROM ${spec.table} WHERE id = ?`;
  const extra = spec.insertOnly ?? [];
  const insertSql = `INSERT INTO ${spec.table} (id, version, created_at, updated_at, deleted_at, ${[...entries.map(([, [c]]) => c), ...extra].join(', ')})
    VALUES (?, ?, ?, ?, ?, ${[...entries, ...extra].map(() => '?').join(', ')})`;
  const updateSql = `UPDATE ${spec.table} SET version = ?, updated_at = ?, deleted_at = ?, ${entries.map(([, [c]]) => `${c} = ?`).join(', ')}
    WHERE id = ? AND version = ?`;

  const decode = (row: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...row };
    for (const [f, [, kind]] of entries) {
      const v = row[f];
      if (kind === 'bool') out[f] = v === null || v === undefined ? null : v === 1;
      else if (kind === 'json') out[f] = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
    }
    return out as F & RecordBase;
  };
  const encodeFields = (fields: F) =>
    entries.map(([f, [, kind]]) => {
      const v = (fields as Record<string, unknown>)[f];
      if (v === undefined || v === null) return null;
      if (kind === 'bool') return v ? 1 : 0;
      if (kind === 'json') return JSON.stringify(v);
      return v;
    });
  const dataOf = (record: F & RecordBase) => {
    const data: Record<string, unknown> = {};
    for (const [f] of entries) data[f] = (record as Record<string, unknown>)[f] ?? null;
    data.deletedAt = record.deletedAt;
    return data;
  };
  const kindOf = new Map<string, ColumnKind>(entries.map(([f, [, kind]]) => [f, kind]));
  // Rows are read as arrays and built field by field: for wide rows this halves the read time.
  const all = <X,>(db: Db, sql: string, params: readonly unknown[]) => {
    const st = rawStmt(db, sql);
    const names = st.columns().map((c) => c.name);
    const kinds = names.map((n) => kindOf.get(n) ?? 'text');
    return (st.all(...params) as unknown[][]).map((r) => {
      const o: Record<string, unknown> = {};
      for (let k = 0; k < names.length; k++) {
        const v = r[k];
        const kind = kinds[k];
        o[names[k]!] = kind === 'json' ? (typeof v === 'string' ? (JSON.parse(v) as unknown) : v) : kind === 'bool' ? (v === null ? null : v === 1) : v;
      }
      return o as F & RecordBase & X;
    });
  };
  const get = (db: Db, id: string, opts: { includeDeleted?: boolean } = {}) => {
    const row = stmt(db, selectById).get(id) as Record<string, unknown> | undefined;
    if (!row || (!opts.includeDeleted && row.deletedAt !== null)) return undefined;
    return decode(row);
  };
  const notFound = (id: string) =>
    new AppError('NOT_FOUND', `no ${spec.noun} with id ${id}`, [{ path: ['id'], message: 'not found' }]);
  const stale = (current: RecordBase, expected: number) =>
    new AppError(
      'CONFLICT',
      `expectedVersion: this ${spec.noun} was changed (now version ${current.version}, you edited version ${expected}); reload it and apply your change again`,
      [{ path: ['expectedVersion'], message: `the ${spec.noun} is now at version ${current.version}` }],
    );

  const write = (db: Db, before: F & RecordBase, fields: F, deletedAt: string | null, meta: WriteMeta, action: WriteAction) => {
    const record = { ...before, ...fields, version: before.version + 1, updatedAt: meta.at, deletedAt } as F & RecordBase;
    const r = stmt(db, updateSql).run(record.version, meta.at, deletedAt, ...encodeFields(record), record.id, before.version);
    if (r.changes !== 1) throw stale(before, before.version);
    appendVersion(db, spec.entity, record.id, record.version, dataOf(record), { ...meta, action });
    return record;
  };

  return {
    spec,
    columns,
    decode,
    all,
    get,
    dataOf,
    create(db, fields, meta, id = newId(), insertOnly = []) {
      const record = { ...fields, id, version: 1, createdAt: meta.at, updatedAt: meta.at, deletedAt: null } as F & RecordBase;
      const extras = extra.map((_, i) => insertOnly[i] ?? null);
      stmt(db, insertSql).run(id, 1, meta.at, meta.at, null, ...encodeFields(record), ...extras);
      appendVersion(db, spec.entity, id, 1, dataOf(record), { ...meta, action: 'create' });
      return record;
    },
    update(db, id, expectedVersion, fields, meta) {
      const before = get(db, id, { includeDeleted: true });
      if (!before) throw notFound(id);
      if (before.version !== expectedVersion) throw stale(before, expectedVersion);
      if (before.deletedAt !== null) {
        throw new AppError('CONFLICT', `id: this ${spec.noun} is deleted; restore it before editing`, [
          { path: ['id'], message: `the ${spec.noun} is deleted` },
        ]);
      }
      const next = { ...before, ...fields };
      const changed = JSON.stringify(dataOf(next)) !== JSON.stringify(dataOf(before));
      if (!changed) return { record: before, before, changed: false };
      return { record: write(db, before, fields, null, meta, 'update'), before, changed: true };
    },
    setDeleted(db, id, expectedVersion, deleted, meta) {
      const before = get(db, id, { includeDeleted: true });
      if (!before) throw notFound(id);
      if (before.version !== expectedVersion) throw stale(before, expectedVersion);
      if ((before.deletedAt !== null) === deleted) {
        throw new AppError('CONFLICT', `id: this ${spec.noun} is ${deleted ? 'already deleted' : 'not deleted'}`, [
          { path: ['id'], message: deleted ? 'already deleted' : 'not deleted' },
        ]);
      }
      const record = write(db, before, before, deleted ? meta.at : null, meta, deleted ? 'delete' : 'restore');
      return { record, before };
    },
  };
}
