export const NATIVE_FILE: string;
export function driverDir(): string;
export function isDriverSource(root: string, src: string): boolean;
export function gypArgs(o: { runtime: 'electron' | 'node'; target: string; nodedir?: string }): string[];
export function ensureNativeDriver(o?: {
  outDir?: string;
  runtime?: 'electron' | 'node';
  target?: string;
  nodedir?: string;
}): { ok: true; cached: boolean; file: string } | { ok: false; reason: string };
export function ensureElectronNative(): { ok: true; cached: boolean; file: string } | { ok: false; reason: string };
export function isMainModule(moduleUrl: string, argv1: string | undefined): boolean;
