type Found = { ok: true; path: string } | { ok: false; reason: string };
export function electronVersion(): string;
export function findElectron(): Found;
export function ensureElectron(o?: { write?: (line: string) => void }): Promise<Found>;
export function progressText(p: { transferred: number; total: number | null }): string;
export function downloadElectron(o?: {
  write?: (line: string) => void;
  mirror?: string;
  cacheRoot?: string;
  checksums?: Record<string, string>;
  platform?: string;
  arch?: string;
}): Promise<string>;
export function electronNodeMinimum(): [number, number, number] | null;
export function nodeVersionProblem(nodeVersion?: string, minimum?: [number, number, number] | null): string | null;
export function sandboxAdvice(o: { platform?: string; electronBinary: string; procSys?: string }): string | null;
