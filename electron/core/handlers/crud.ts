// The seven handlers of a versioned record type, written once. Dispatch runs the writes in one
// IMMEDIATE transaction (they are marked in the contract), so none opens its own.
import type { Db } from '../../../db/driver';
import type { Entity, WriteMeta } from '../../../db/history/versions';
import type { Channel } from '../../../shared/contract';
import type { Context } from './context';
import { writeMeta } from './context';
import { historyOf, notFound } from './history';
import type { Handler } from './types';

type Crud = 'create' | 'list' | 'get' | 'update' | 'delete' | 'restore' | 'history';
type CrudHandlers<P extends string> = { [C in Extract<Channel, `${P}:${Crud}`>]: Handler<C> };

export interface CrudRepo<F, R> {
  create: (db: Db, fields: F, meta: WriteMeta) => R;
  update: (db: Db, id: string, expectedVersion: number, fields: F, meta: WriteMeta) => R;
  setDeleted: (db: Db, id: string, expectedVersion: number, deleted: boolean, meta: WriteMeta) => R;
  get: (db: Db, id: string, opts: { includeDeleted?: boolean }) => R | undefined;
  list: (db: Db, input: never) => unknown;
}

export function crudHandlers<P extends 'facilities' | 'people' | 'interviews' | 'incidents', F, R>(
  prefix: P,
  entity: Entity,
  repo: CrudRepo<F, R>,
  /** Refuses fields whose references or dates are wrong (naming each field), before any write. */
  // Typed by the contract's parsed input, which the repository's field type need not match exactly.
  check: (ctx: Context, fields: never) => void = () => undefined,
): CrudHandlers<P> {
  type Guard = { id: string; expectedVersion: number; reason?: string | null };
  const setDeleted = (deleted: boolean) => ({ id, expectedVersion, reason }: Guard, ctx: Context) =>
    repo.setDeleted(ctx.db, id, expectedVersion, deleted, writeMeta(ctx, reason));
  const handlers = {
    create: (input: F, ctx: Context) => {
      check(ctx, input as never);
      return repo.create(ctx.db, input, writeMeta(ctx));
    },
    list: (input: never, ctx: Context) => repo.list(ctx.db, input),
    get: ({ id }: { id: string }, ctx: Context) => {
      const r = repo.get(ctx.db, id, { includeDeleted: true });
      if (!r) throw notFound(entity, id);
      return r;
    },
    update: ({ id, expectedVersion, reason, ...fields }: Guard & F, ctx: Context) => {
      check(ctx, fields as never);
      return repo.update(ctx.db, id, expectedVersion, fields as F, writeMeta(ctx, reason));
    },
    delete: setDeleted(true),
    restore: setDeleted(false),
    history: ({ id }: { id: string }, ctx: Context) => historyOf(ctx, entity, entity, id),
  };
  // The contract types each channel's input and output; these are the same functions under its names.
  return Object.fromEntries(Object.entries(handlers).map(([verb, fn]) => [`${prefix}:${verb}`, fn])) as unknown as CrudHandlers<P>;
}
