import { fileURLToPath } from 'node:url';
import type { WorkerScript } from './messages';

/** The worker on its TypeScript sources, through tsx: for tests and the bench (nothing bundled). */
export function tsWorkerScript(): WorkerScript {
  return { path: fileURLToPath(new URL('./ts-boot.mjs', import.meta.url)), entry: new URL('./entry.ts', import.meta.url).href };
}
