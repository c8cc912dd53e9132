import { allowedLink, type MessageHandlers, type WebviewMessage } from '@jan/protocol';
import type { ChatHostPort } from './chat-backend';

/** The view's messages that ask the editor for something (not the chat). */
export type EditorAction = Extract<
  WebviewMessage,
  { type: 'copy' | 'insertCode' | 'applyCode' | 'openLink' | 'runAction' | 'assistantAction' }
>;

/** Each editor action carried out by the port; a link the rules refuse is an error for the view. */
export function editorActions(port: ChatHostPort): MessageHandlers<EditorAction, Promise<void>> {
  return {
    copy: (message) => port.copy(message.text),
    insertCode: (message) => port.insertAtCursor(message.code),
    applyCode: (message) => port.applyToEditor(message.code, message.language),
    openLink: async (message) => {
      const url = allowedLink(message.href);
      if (!url) throw new Error('Jan opens only http(s) and mailto links from replies.');
      return port.openExternal(url);
    },
    runAction: (message) => port.runAction(message.action),
    assistantAction: (message) => port.assistantAction(message.action, message.assistant),
  };
}
