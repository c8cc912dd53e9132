import DOMPurify from 'dompurify';

/**
 * The only elements and attributes rendered model output may contain. The renderer never emits
 * raw HTML from the model (it is shown as text); this allowlist is the second wall behind it.
 */
const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'a',
  'span',
  'div',
  'button',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'align', 'type', 'aria-label', 'data-action', 'data-lang'];

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    // Links are opened by the host; the attribute only shows the target on hover.
    node.setAttribute('rel', 'noreferrer noopener');
  }
});

// Set once: passing a config to every sanitize() call rebuilds DOMPurify's allowlists each time.
purifier.setConfig({
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  // DOMPurify checks every attribute value that is not "URI safe" against this: a value is
  // either scheme-less (`copy`) or one of our schemes; `javascript:`, `data:` and the rest fail.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  ADD_URI_SAFE_ATTR: ['data-action', 'data-lang', 'aria-label', 'type', 'start', 'align'],
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
  RETURN_DOM_FRAGMENT: true,
});

/** Sanitized nodes, ready to insert: no second HTML parse of what DOMPurify already parsed. */
export function sanitizeToFragment(html: string): DocumentFragment {
  return purifier.sanitize(html) as unknown as DocumentFragment;
}

export function sanitizeHtml(html: string): string {
  const holder = document.createElement('div');
  holder.append(sanitizeToFragment(html));
  return holder.innerHTML;
}
