#!/usr/bin/env node
// The `attest` command: runs the TypeScript CLI directly through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
