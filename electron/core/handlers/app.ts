import { schemaVersion } from '../../../db/migrate';
import { CATEGORIES, CATEGORY_CODES } from '../../../shared/vocab';
import type { HandlersFor } from './types';

export const appHandlers: HandlersFor<'app:' | 'vocab:'> = {
  'app:info': (_input, ctx) => ({ appVersion: ctx.appVersion, schemaVersion: schemaVersion(ctx.db) }),
  'vocab:categories': () => CATEGORY_CODES.map((c) => CATEGORIES[c]),
};
