// Starts a worker thread on the TypeScript entry through tsx, where nothing is bundled (tests, the
// bench); the app runs the bundle (dist-electron/core-worker.cjs) instead.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
