/** The pause never grows past this, however slow the machine or the typing. */
const MAX_PAUSE_MS = 1500;
/** Gaps between keystrokes longer than this are the user stopping, not typing. */
const TYPING_GAP_MS = 1000;
const SAMPLES = 8;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/**
 * How long to wait after a keystroke before asking for a suggestion. It starts at the setting
 * and grows, learned from recent samples, past the user's typing rhythm (a request started
 * between two keystrokes is wasted) and with the time suggestions take (on a slow machine each
 * one costs more, so fewer should start).
 */
export class TypingPause {
  private lastKeystroke: number | undefined;
  private readonly gaps: number[] = [];
  private readonly latencies: number[] = [];

  keystroke(at: number): void {
    if (this.lastKeystroke !== undefined) {
      const gap = at - this.lastKeystroke;
      if (gap > 0 && gap < TYPING_GAP_MS) push(this.gaps, gap);
    }
    this.lastKeystroke = at;
  }

  /** How long a suggestion took from its request to its text. */
  latency(ms: number): void {
    push(this.latencies, ms);
  }

  current(settingMs: number): number {
    const rhythm = this.gaps.length ? 1.5 * median(this.gaps) : 0;
    const slowness = this.latencies.length ? 0.5 * median(this.latencies) : 0;
    return Math.max(settingMs, Math.min(MAX_PAUSE_MS, Math.max(rhythm, slowness)));
  }
}

function push(samples: number[], value: number): void {
  samples.push(value);
  if (samples.length > SAMPLES) samples.shift();
}
