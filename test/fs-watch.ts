// Watches the file system calls a piece of code makes, in this process: every call still goes to the
// real node:fs (real files, real fsync), and is written down by the path it reaches (an fd is named
// by the path it was opened with). What a test cannot see in the files afterwards (that a file or
// its folder was fsynced, that a descriptor was closed) it sees here. `fail` makes one kind of call
// fail with an error code instead, as the disk or the platform would: the faults suite does the
// same with strace in a child process, where a mutant of this process cannot be switched on.
import fs, { readdirSync, readlinkSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';

type Name = 'openSync' | 'closeSync' | 'fsyncSync' | 'renameSync' | 'linkSync' | 'unlinkSync' | 'writeSync' | 'copyFileSync' | 'rmSync' | 'chmodSync';
const NAMES: Name[] = ['openSync', 'closeSync', 'fsyncSync', 'renameSync', 'linkSync', 'unlinkSync', 'writeSync', 'copyFileSync', 'rmSync', 'chmodSync'];

export interface FsFault {
  /** The call to fail. */
  call: Name;
  /** Which of them (by the path it reaches); all when absent. */
  path?: string;
  /** Only the nth of the matching calls (1 is the first); every one when absent. */
  nth?: number;
  /** The error's code, as node:fs gives it (EIO, EINVAL, EISDIR, ...). */
  code: string;
  /** Run just before the failure: what the interrupted step would have left (a -journal file). */
  before?: () => void;
}

export interface FsLog {
  /** One line per call: `fsync /dir/file`, `close /dir/file`, `rename /a -> /b`. */
  calls: string[];
  /** Descriptors opened and not closed when the watched code returned, by path. */
  open: string[];
}

export interface FsLimits {
  /** A write writes at most this many bytes and says so (a short write, as the kernel may answer). */
  maxWrite?: number;
}

/** Runs `fn` with node:fs watched (and optionally one kind of call failing); gives back what it did. */
export function watchFs<T>(fn: () => T, fault?: FsFault, limits: FsLimits = {}): { result: T; log: FsLog } | { error: unknown; log: FsLog } {
  const fds = new Map<number, string>();
  const calls: string[] = [];
  let matching = 0;
  const real = Object.fromEntries(NAMES.map((n) => [n, fs[n]])) as Record<Name, (...a: unknown[]) => unknown>;
  const pathOf = (n: Name, a: unknown[]): string =>
    ['fsyncSync', 'closeSync', 'writeSync'].includes(n) ? (fds.get(a[0] as number) ?? `fd ${String(a[0])}`) : n === 'renameSync' || n === 'linkSync' || n === 'copyFileSync' ? `${resolve(String(a[0]))} -> ${resolve(String(a[1]))}` : resolve(String(a[0]));
  for (const n of NAMES) {
    (fs as unknown as Record<Name, unknown>)[n] = (...a: unknown[]) => {
      const p = pathOf(n, a);
      calls.push(`${n.replace(/Sync$/, '')} ${p}`);
      if (fault && fault.call === n && (fault.path === undefined || p === resolve(fault.path) || p.startsWith(`${resolve(fault.path)} ->`)) && (fault.nth === undefined || ++matching === fault.nth)) {
        fault.before?.();
        throw Object.assign(new Error(`${fault.code}: injected, ${n} '${p}'`), { code: fault.code });
      }
      // A request the real call would refuse is passed on whole, so it is refused as it would be.
      if (n === 'writeSync' && limits.maxWrite !== undefined && a[1] instanceof Uint8Array && typeof a[2] === 'number' && typeof a[3] === 'number' && a[2] + a[3] <= a[1].byteLength) {
        a[3] = Math.min(a[3], limits.maxWrite);
      }
      const r = real[n](...a);
      if (n === 'openSync') fds.set(r as number, p);
      if (n === 'closeSync') fds.delete(a[0] as number);
      return r;
    };
  }
  syncBuiltinESMExports();
  const log = (): FsLog => ({ calls, open: [...fds.values()] });
  try {
    return { result: fn(), log: log() };
  } catch (error) {
    return { error, log: log() };
  } finally {
    for (const n of NAMES) (fs as unknown as Record<Name, unknown>)[n] = real[n];
    syncBuiltinESMExports();
    // Whatever the watched code left open is closed here, so one test's leak is not the next one's.
    for (const fd of fds.keys()) real.closeSync(fd);
  }
}

/** This process's open descriptors on `file` (a connection left open holds one), read from /proc. */
export function descriptorsOn(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}
