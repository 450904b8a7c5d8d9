// The entry of every Attest worker thread: the core (one, started by main) or a reader (one per
// long read, started by the core).
import { workerData } from 'node:worker_threads';
import { runCore } from './core';
import { runReader } from './reader';

if ((workerData as { role?: unknown }).role === 'reader') runReader();
else runCore();
