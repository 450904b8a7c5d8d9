import type { AttestApi, Channel, ChannelInput, ChannelOutput, Issue, Result } from '../../../shared/contract';
import type { JobEvent } from '../../../shared/jobs';

declare global {
  interface Window {
    /** Provided by the Electron preload, or by the browser test bridge. */
    attest?: AttestApi & {
      /** Long jobs' progress events, pushed; returns the unsubscribe. */
      onProgress?: (listener: (event: JobEvent) => void) => () => void;
      /** The core was started again after it died (it is locked again); returns the unsubscribe. */
      onCoreRestart?: (listener: () => void) => () => void;
    };
  }
}

/** Follows every long job's progress events; a transport without them sends none. */
export function onProgress(listener: (event: JobEvent) => void): () => void {
  return window.attest?.onProgress?.(listener) ?? (() => undefined);
}

/** Follows restarts of the core; a transport without them sends none. */
export function onCoreRestart(listener: () => void): () => void {
  return window.attest?.onCoreRestart?.(listener) ?? (() => undefined);
}

export async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  const api = window.attest;
  if (!api) {
    return {
      ok: false,
      error: { code: 'INTERNAL', message: 'Attest is not connected to its database (no window.attest)', issues: [] },
    };
  }
  const fn = api[channel] as unknown as (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;
  return fn(input);
}

/** Field errors keyed by the first path segment, as Mantine's form wants them. */
export function fieldErrors(issues: readonly Issue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.length ? String(i.path[0]) : '_form';
    out[key] ??= i.message;
  }
  return out;
}

/**
 * Field errors keyed by the full dotted path ("staffInvolved.0.name") and by its first segment, so
 * a message lands next to a nested input and on its group alike. `rename` maps a stored field to
 * the form field that edits it.
 */
export function pathErrors(issues: readonly Issue[], rename: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    if (!i.path.length) continue;
    const [head, ...rest] = i.path.map(String);
    const first = rename[head!] ?? head!;
    const full = [first, ...rest].join('.');
    out[full] ??= i.message;
    out[first] ??= i.message;
  }
  return out;
}

/**
 * One sentence for the top of a form: when every problem is shown next to its field, name those
 * fields instead of repeating the messages.
 */
export function formSummary(
  error: { message: string; issues: readonly Issue[] },
  label: (field: string) => string,
): string {
  const fields = error.issues.filter((i) => i.path.length > 0);
  if (!fields.length || fields.length !== error.issues.length) return error.message;
  const names = [...new Set(fields.map((i) => label(String(i.path[0]))))];
  return `Check ${names.length === 1 ? 'this field' : 'these fields'}: ${names.join(', ')}.`;
}
