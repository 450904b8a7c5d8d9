// The one message the app pushes to the window (not a contract channel): a long job's progress.
// Kept apart from shared/jobs.ts so the preload bundle imports a string, not the schemas.
export const JOB_EVENTS = 'attest:job-event';
