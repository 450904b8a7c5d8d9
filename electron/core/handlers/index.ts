import { appHandlers } from './app';
import { dashboardHandlers } from './dashboard';
import { dialogHandlers } from './dialogs';
import { facilityHandlers } from './facilities';
import { importHandlers } from './import';
import { jobHandlers } from './jobs';
import { incidentHandlers } from './incidents';
import { interviewHandlers } from './interviews';
import { peopleHandlers } from './people';
import { reportHandlers } from './reports';
import { sessionHandlers } from './session';
import { auditHandlers, backupHandlers, vaultHandlers } from './safety';
import { syncHandlers } from './sync';
import type { Handlers } from './types';

export const handlers: Handlers = {
  ...appHandlers,
  ...facilityHandlers,
  ...peopleHandlers,
  ...interviewHandlers,
  ...incidentHandlers,
  ...sessionHandlers,
  ...reportHandlers,
  ...vaultHandlers,
  ...auditHandlers,
  ...backupHandlers,
  ...jobHandlers,
  ...importHandlers,
  ...syncHandlers,
  ...dialogHandlers,
  ...dashboardHandlers,
};
