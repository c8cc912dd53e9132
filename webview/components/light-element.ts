import { LitElement } from 'lit';

/**
 * A Lit element rendered into the page's own DOM, styled by the one document stylesheet.
 * A thousand messages then share one stylesheet and the codicon font instead of a thousand
 * shadow roots each adopting them.
 */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
