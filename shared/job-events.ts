// The messages the app pushes to the window (not contract channels): a long job's progress, and
// word that the core was started again after it died (the window asks for the passphrase again).
// Kept apart from shared/jobs.ts so the preload bundle imports a string, not the schemas.
export const JOB_EVENTS = 'attest:job-event';

/** The core worker died and a new one was started: it is locked until the passphrase is given. */
export const CORE_RESTARTED = 'attest:core-restarted';
