import { dashboard } from '../../../db/repo/dashboard';
import type { HandlersFor } from './types';

export const dashboardHandlers: HandlersFor<'dashboard:'> = {
  'dashboard:summary': (input, ctx) => dashboard(ctx.db, input, ctx.now().toISOString().slice(0, 10)),
};
