/** The loop that starts each shop's daily sync in its time zone and takes over sync runs whose holder died. */
export { createScheduler, type Scheduler } from './loop.ts';
