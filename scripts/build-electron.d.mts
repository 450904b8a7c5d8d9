import type { BuildOptions } from 'esbuild';
export const BUNDLES: BuildOptions[];
