/**
 * The emulated clock: real time plus an offset. The database, cloudPay and the function workers all read
 * it (workers get the offset with every invocation and replace their global `Date`, see worker.js).
 */
export class Clock {
  private offsetMs = 0;
  /** called by advance()/set() with the interval that was skipped; fires due timers */
  onJump: ((fromMs: number, toMs: number) => Promise<void>) | null = null;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  offset(): number {
    return this.offsetMs;
  }

  /** Move emulated time forward by `ms`, then fire (and await) every timer trigger that came due. */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('clock.advance: ms must be a non-negative number');
    const from = this.now();
    this.offsetMs += ms;
    if (this.onJump) await this.onJump(from, this.now());
  }

  /** Jump to an absolute emulated time (ms since epoch). Moving forward fires due timers like advance(). */
  async set(ms: number): Promise<void> {
    if (!Number.isFinite(ms)) throw new Error('clock.set: ms must be a number');
    const from = this.now();
    this.offsetMs = ms - Date.now();
    if (this.onJump && ms > from) await this.onJump(from, this.now());
  }
}
