import { html, nothing } from 'lit';
import type { AttachedContext } from '@jan/protocol';
import { formatTokens } from './context-chips';
import { LightElement } from './light-element';

/** Past this share of the room for the prompt the meter warns: a few more turns and the oldest are left out. */
export const METER_WARN_RATIO = 0.8;

export interface ContextUsage {
  used: number;
  limit: number;
  reserve: number;
}

/**
 * How much of the model's context the next request takes: instructions, always-in-context files
 * and history (from the host) plus what is attached now, against the context less the reply's room.
 */
export class JanContextMeter extends LightElement {
  static override properties = {
    usage: { attribute: false },
    attached: { attribute: false },
  };

  declare usage: ContextUsage | null;
  declare attached: AttachedContext[];

  constructor() {
    super();
    this.usage = null;
    this.attached = [];
  }

  /** The fill's width is set through the CSSOM: the page's CSP refuses style attributes. */
  protected override updated(): void {
    const fill = this.querySelector<HTMLElement>('.context-meter-fill');
    if (fill) fill.style.width = `${Math.min(100, Math.round(this.ratio * 100))}%`;
  }

  private get used(): number {
    return (this.usage?.used ?? 0) + this.attached.reduce((sum, item) => sum + item.tokens, 0);
  }

  private get ratio(): number {
    return this.usage ? this.used / Math.max(1, this.usage.limit - this.usage.reserve) : 0;
  }

  protected override render() {
    const usage = this.usage;
    if (!usage) return nothing;
    const used = this.used;
    const room = Math.max(1, usage.limit - usage.reserve);
    const ratio = this.ratio;
    const level = ratio > 1 ? 'over' : ratio >= METER_WARN_RATIO ? 'warn' : 'ok';
    const message =
      level === 'over'
        ? 'Over the limit: the oldest turns will be left out of the next reply. Start a new chat or remove attachments.'
        : level === 'warn'
          ? 'Nearly full: a few more turns and the oldest will be left out.'
          : '';
    const label = `Context: about ${used.toLocaleString('en-US')} of ${room.toLocaleString('en-US')} tokens (${usage.limit.toLocaleString('en-US')} in the model's context, ${usage.reserve.toLocaleString('en-US')} kept for the reply)`;
    return html`<div class="context-meter meter-${level}" title=${label}>
      <div
        class="context-meter-bar"
        role="meter"
        aria-label="Context used"
        aria-valuemin="0"
        aria-valuemax=${room}
        aria-valuenow=${Math.min(used, room)}
        aria-valuetext=${label}
      >
        <div class="context-meter-fill"></div>
      </div>
      <span class="context-meter-text">≈${formatTokens(used)} / ${formatTokens(room)}</span>
      ${message ? html`<div class="context-meter-warning" role="status"><span class="codicon codicon-warning" aria-hidden="true"></span> ${message}</div>` : nothing}
    </div>`;
  }
}
