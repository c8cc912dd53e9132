import { randomBytes } from 'node:crypto';

export interface ChatHtmlOptions {
  /** The webview's `cspSource`: the only origin scripts' resources, styles and fonts come from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  codiconUri: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The chat page: one module script and the codicon stylesheet, under a CSP that allows nothing
 * else — no inline script or style, no remote image, no frame, no network, no form.
 */
export function chatHtml({ cspSource, nonce, scriptUri, codiconUri }: ChatHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    // data: for @vscode-elements' own images (the textarea's resize grip); model output never has <img>.
    `img-src ${cspSource} data:`,
    "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "media-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${attr(codiconUri)}" nonce="${attr(nonce)}">
<title>Jan</title>
</head>
<body>
<script type="module" nonce="${attr(nonce)}" src="${attr(scriptUri)}"></script>
</body>
</html>`;
}
