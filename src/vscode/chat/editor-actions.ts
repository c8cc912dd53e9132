import { allowedLink, type WebviewMessage } from '@jan/protocol';
import type { ChatHostPort } from './chat-backend';

/** The view's messages that ask the editor for something (not the chat). */
export type EditorAction = Extract<
  WebviewMessage,
  { type: 'copy' | 'insertCode' | 'applyCode' | 'openLink' | 'runAction' | 'assistantAction' }
>;

const EDITOR_ACTIONS: ReadonlySet<WebviewMessage['type']> = new Set<EditorAction['type']>([
  'copy',
  'insertCode',
  'applyCode',
  'openLink',
  'runAction',
  'assistantAction',
]);

export function isEditorAction(message: WebviewMessage): message is EditorAction {
  return EDITOR_ACTIONS.has(message.type);
}

/** Carries out an editor action; a link the rules refuse is an error for the view. */
export async function runEditorAction(port: ChatHostPort, message: EditorAction): Promise<void> {
  switch (message.type) {
    case 'copy':
      return port.copy(message.text);
    case 'insertCode':
      return port.insertAtCursor(message.code);
    case 'applyCode':
      return port.applyToEditor(message.code, message.language);
    case 'openLink': {
      const url = allowedLink(message.href);
      if (!url) throw new Error('Jan opens only http(s) and mailto links from replies.');
      return port.openExternal(url);
    }
    case 'runAction':
      return port.runAction(message.action);
    case 'assistantAction':
      return port.assistantAction(message.action, message.assistant);
  }
}
