import { build } from 'vite';

// The browser tests drive the built renderer, exactly the files Electron loads.
export default async function setup(): Promise<void> {
  if (process.env.ATTEST_E2E_SKIP_BUILD) return;
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
