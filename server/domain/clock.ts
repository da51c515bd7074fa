import { shanghaiDate } from './dates.ts';

/**
 * The one source of "now" and "today" for the app: injected through AppContext, so that tests freeze
 * time and no rule changes its answer when a run crosses midnight in Shanghai.
 */
export interface Clock {
  now(): Date;
  /** Today's calendar date in Asia/Shanghai, 'YYYY-MM-DD'. */
  today(): string;
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => shanghaiDate(new Date()),
};

/** A clock that stands still at one instant (tests, benchmarks, reproducible reports). */
export function fixedClock(instant: string | Date): Clock {
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) throw new Error(`fixedClock: not an instant: ${String(instant)}`);
  return { now: () => new Date(at), today: () => shanghaiDate(at) };
}
