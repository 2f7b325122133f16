/**
 * Preloaded (`node --import`) into the connector processes the chaos suite starts: their clock runs ahead of the
 * real one by the milliseconds written in the file CHAOS_CLOCK_FILE names, read again every 20 ms. The suite moves
 * every process's clock together (a minute for a session take-over, a quarter of an hour for retries) without
 * waiting in real time; timers and performance.now() are untouched.
 */
import { readFileSync } from 'node:fs';

const file = process.env.CHAOS_CLOCK_FILE;
if (file) {
  const RealDate = Date;
  let offset = 0;
  const read = () => {
    try {
      const value = Number(readFileSync(file, 'utf8'));
      if (Number.isFinite(value)) offset = value;
    } catch {
      // Written by the suite with a rename, so it is either the old or the new value; absent means no offset.
    }
  };
  read();
  setInterval(read, 20).unref();
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      super();
      this.setTime(args.length === 0 ? RealDate.now() + offset : Reflect.construct(RealDate, args).getTime());
    }
    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
