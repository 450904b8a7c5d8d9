// Several laptops: device identity, bundles, conflicts, duplicate people (db/sync/ does the work).
import { AppError } from './context';
import type { Handlers } from './types';

type SyncChannel = Extract<keyof Handlers, `sync:${string}` | 'people:duplicates' | 'people:merge' | 'people:unmerge'>;

const notYet = (what: string) => (): never => {
  throw new AppError('INTERNAL', `${what} is not available yet`);
};

export const syncHandlers: { [C in SyncChannel]: Handlers[C] } = {
  'sync:status': notYet('sync:status'),
  'sync:rename-device': notYet('sync:rename-device'),
  'sync:set-trusted': notYet('sync:set-trusted'),
  'sync:export': notYet('sync:export'),
  'sync:import': notYet('sync:import'),
  'sync:conflicts': notYet('sync:conflicts'),
  'sync:conflict': notYet('sync:conflict'),
  'sync:resolve': notYet('sync:resolve'),
  'people:duplicates': notYet('people:duplicates'),
  'people:merge': notYet('people:merge'),
  'people:unmerge': notYet('people:unmerge'),
};
