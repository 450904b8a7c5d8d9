export function electronVersion(): string;
export function findElectron(options?: { download?: boolean }): { ok: true; path: string } | { ok: false; reason: string };
