import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { parseFormHostMessage, type FormViewMessage } from '@jan/protocol';
import formCss from './form.css';
import { JanAssistantForm } from './form';

interface VsCodeApi {
  postMessage(message: FormViewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

customElements.define('jan-assistant-form', JanAssistantForm);
const sheet = new CSSStyleSheet();
sheet.replaceSync(formCss);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const api = acquireVsCodeApi();
const form = new JanAssistantForm();
form.post = (message) => api.postMessage(message);
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseFormHostMessage(event.data);
  if (parsed.ok) form.apply(parsed.value);
  else console.warn(`Jan: dropped a message from the host. ${parsed.error}`);
});
document.body.append(form);
form.post({ type: 'ready' });
