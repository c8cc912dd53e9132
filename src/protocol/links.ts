/**
 * Which links from model output may be opened. Both the webview (when it renders) and the host
 * (before it opens anything) apply this one rule.
 */
const ALLOWED_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** The normalized URL when `href` is an absolute http(s) or mailto link, else undefined. */
export function allowedLink(href: string): string | undefined {
  // URL parsing strips the tabs/newlines and entity tricks (`java\tscript:`) a regex would miss.
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return undefined;
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) return undefined;
  if (url.protocol !== 'mailto:' && !url.hostname) return undefined;
  return url.href;
}
