import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import chatCss from './styles/chat.css';
import markdownCss from './styles/markdown.css';
import { HostBridge } from './bridge';
import { ChatStore } from './store';
import { JanApp } from './components/app';
import { JanAgentTurn } from './components/agent-turn';
import { JanChatHeader } from './components/chat-header';
import { JanComposer } from './components/composer';
import { JanContextMeter } from './components/context-meter';
import { JanMessage } from './components/message-item';
import { JanMessageList } from './components/message-list';
import { JanThreadList } from './components/thread-list';
import { JanThreadSettings } from './components/thread-settings';

customElements.define('jan-agent-turn', JanAgentTurn);
customElements.define('jan-chat-header', JanChatHeader);
customElements.define('jan-composer', JanComposer);
customElements.define('jan-context-meter', JanContextMeter);
customElements.define('jan-message', JanMessage);
customElements.define('jan-message-list', JanMessageList);
customElements.define('jan-thread-list', JanThreadList);
customElements.define('jan-thread-settings', JanThreadSettings);
customElements.define('jan-app', JanApp);

// A constructed stylesheet: allowed by the page's strict CSP, unlike an inline <style>.
const sheet = new CSSStyleSheet();
sheet.replaceSync(`${chatCss}\n${markdownCss}`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

const app = new JanApp();
app.connect(new ChatStore(), new HostBridge());
document.body.append(app);
