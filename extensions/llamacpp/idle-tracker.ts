/**
 * Counts running operations and calls `onIdle` once none has run for the configured minutes.
 * The minutes are read when the last operation ends, so a settings change applies from then on.
 */
export class IdleTracker {
  private active = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly minutes: () => number,
    private readonly onIdle: (minutes: number) => void,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    this.begin();
    try {
      return await task();
    } finally {
      this.end();
    }
  }

  begin(): void {
    this.active++;
    clearTimeout(this.timer);
  }

  end(): void {
    this.active--;
    if (this.active > 0) return;
    const minutes = this.minutes();
    if (minutes <= 0) return;
    this.timer = setTimeout(() => {
      if (this.active === 0) this.onIdle(minutes);
    }, minutes * 60_000);
    // An idle timer alone must not keep a headless process (CLI, tests) alive.
    this.timer.unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
