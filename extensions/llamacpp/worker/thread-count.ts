import * as os from 'node:os';

/** Below this window the last choice stands: a busy-time average over a few milliseconds means nothing. */
const MIN_WINDOW_MS = 500;

/**
 * llama.cpp's threads wait for each other at every step, so one thread the OS puts aside stalls
 * them all: on a machine already busy, more threads are slower (measured: 2.9 tokens/s with 2
 * threads on a 2-core machine at load 10, 237 with 1). The default takes the physical cores
 * other programs leave: the logical cores minus what others keep busy, between 1 and the
 * physical cores.
 */
export function chooseThreads(physicalCores: number, logicalCores: number, othersBusy: number): number {
  return Math.max(1, Math.min(physicalCores, Math.round(logicalCores - othersBusy)));
}

export interface ThreadChoice {
  threads: number;
  /** Why that many, for the log and the slow-reply hint. */
  reason: string;
}

interface Sample {
  at: number;
  /** This process's CPU time (µs). */
  own: number;
  /** The machine's busy and total CPU time (ms), summed over cores. */
  busy: number;
  total: number;
}

/**
 * The thread count for each generation. With `jan.engine.threads` set, that; otherwise chosen
 * again before every generation from the physical cores and what the rest of the machine keeps
 * busy: the 1-minute load average where the OS has one, else (Windows) the busy CPU time since
 * the last look, in both cases without this process's own share.
 */
export class ThreadGovernor {
  private last: Sample = sample();
  private choice: ThreadChoice;

  constructor(
    private readonly physicalCores: number,
    private readonly fixed: number | undefined,
    private readonly logicalCores = os.availableParallelism(),
  ) {
    this.choice = fixed
      ? { threads: fixed, reason: 'jan.engine.threads' }
      : { threads: physicalCores, reason: `${physicalCores} physical cores` };
  }

  /** The most threads a context may ever want: contexts are made with this, generations use `next()`. */
  get ceiling(): number {
    return this.fixed ?? this.physicalCores;
  }

  get current(): ThreadChoice {
    return this.choice;
  }

  next(): ThreadChoice {
    if (this.fixed) return this.choice;
    const loadAverage = os.loadavg()[0]!;
    const now = sample();
    const window = now.at - this.last.at;
    // Windows reports no load average (0): the busy time since the last look is all there is.
    if (loadAverage <= 0 && window < MIN_WINDOW_MS) return this.choice;
    const measured = window >= MIN_WINDOW_MS;
    const ownBusy = measured ? (now.own - this.last.own) / 1000 / window : 0;
    const machineBusy =
      now.total > this.last.total
        ? ((now.busy - this.last.busy) / (now.total - this.last.total)) * this.logicalCores
        : 0;
    if (measured) this.last = now;
    const others = Math.max(0, (loadAverage > 0 ? loadAverage : machineBusy) - ownBusy);
    const load =
      loadAverage > 0
        ? `load ${loadAverage.toFixed(1)}`
        : `${Math.round((machineBusy / this.logicalCores) * 100)}% busy`;
    this.choice = {
      threads: chooseThreads(this.physicalCores, this.logicalCores, others),
      reason: `${this.physicalCores} physical cores, ${load}, other programs ≈ ${others.toFixed(1)} cores`,
    };
    return this.choice;
  }
}

function sample(): Sample {
  const usage = process.cpuUsage();
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { at: performance.now(), own: usage.user + usage.system, busy, total };
}
