import { z } from 'zod';
import { contract, describeIssues, isWriteChannel, type Channel, type ChannelOutput, type Result } from '../../shared/contract';
import { isChannelName } from '../../shared/contract/names';
import { findBrokenText } from '../../shared/well-formed';
import { handlers as defaultHandlers } from './handlers/index';
import { AppError, type Context } from './handlers/context';
import type { Handlers } from './handlers/types';
import { plainFsError } from './fs-errors';

export type Dispatch = (channel: unknown, raw: unknown) => Promise<Result<unknown>>;

function fail(code: AppError['code'], message: string, issues: AppError['issues'] = []): Result<never> {
  return { ok: false, error: { code, message, issues } };
}

/**
 * A write channel's handler runs in one transaction begun IMMEDIATE: it takes the write lock at once,
 * so another process's lock is waited for (busy timeout) rather than refused when a read upgrades,
 * and a refusal anywhere inside keeps nothing.
 */
function writeTransaction<T>(ctx: Context, fn: () => T): T {
  return ctx.db.transaction(() => {
    const r = fn();
    if (r instanceof Promise) throw new Error('a write channel handler must be synchronous');
    return r;
  }).immediate();
}

/**
 * The one entry point to every operation. Parses the input with the channel's zod schema, runs the
 * handler, checks its output, and returns errors as values: it never throws.
 */
export function createDispatch(ctx: Context, handlers: Handlers = defaultHandlers): Dispatch {
  return async function dispatch(channel: unknown, raw: unknown): Promise<Result<unknown>> {
    if (!isChannelName(channel)) {
      return fail('UNKNOWN_CHANNEL', `unknown channel: ${String(channel).slice(0, 100)}`);
    }
    return run(channel, raw);
  };

  async function run<C extends Channel>(channel: C, raw: unknown): Promise<Result<ChannelOutput<C>>> {
    try {
      // Until the vault is unlocked only its own channels answer.
      if (!channel.startsWith('vault:') && !ctx.vault.isOpen) {
        return fail('LOCKED', 'the database is locked: unlock it with its passphrase first');
      }
      const broken = findBrokenText(raw);
      if (broken) {
        const field = broken.join('.') || 'input';
        const message = 'contains a broken character (half of a surrogate pair); type or paste the text again';
        return fail('INVALID_INPUT', `${field}: ${message}`, [{ path: broken, message }]);
      }
      const spec = contract[channel];
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) {
        const { message, issues } = describeIssues(parsed.error.issues);
        return fail('INVALID_INPUT', message, issues);
      }
      const handler = handlers[channel] as (input: unknown, ctx: Context) => unknown;
      const data = isWriteChannel(channel) ? writeTransaction(ctx, () => handler(parsed.data, ctx)) : await handler(parsed.data, ctx);
      const out = (spec.output as z.ZodType).safeParse(data);
      if (!out.success) {
        return fail('INTERNAL', `${channel} produced output that breaks the contract: ${describeIssues(out.error.issues).message}`);
      }
      return { ok: true, data: out.data as ChannelOutput<C> };
    } catch (e) {
      if (e instanceof AppError) return fail(e.code, e.message, e.issues);
      const plain = plainFsError(e);
      if (plain) return fail(plain.code, plain.message);
      const err = e as { code?: unknown; message?: unknown };
      if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_')) {
        return fail('DATABASE', `database error: ${String(err.message)}`);
      }
      return fail('INTERNAL', `internal error in ${channel}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
