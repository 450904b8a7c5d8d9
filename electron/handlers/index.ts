import { appHandlers } from './app';
import { facilityHandlers } from './facilities';
import { incidentHandlers } from './incidents';
import { peopleHandlers } from './people';
import { auditHandlers, backupHandlers, vaultHandlers } from './safety';
import type { Handlers } from './types';

export const handlers: Handlers = {
  ...appHandlers,
  ...facilityHandlers,
  ...peopleHandlers,
  ...incidentHandlers,
  ...vaultHandlers,
  ...auditHandlers,
  ...backupHandlers,
};
