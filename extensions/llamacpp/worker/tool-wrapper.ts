import { LlamaText } from 'node-llama-cpp';
import type { ChatModelFunctions, ChatWrapper } from 'node-llama-cpp';

type ContextStateOptions = Parameters<ChatWrapper['generateContextState']>[0];

/**
 * The model's own chat wrapper with two changes for tool requests: it always documents
 * `documented` (whatever subset the generation may call), so the prompt stays the same across
 * `tool_choice` values; and with `force` the reply opens in node-llama-cpp's function-calling
 * mode (`noPrefixTrigger` of type `functionCall`): the template's call prefix is placed in the
 * context and the name and arguments are generated under grammars, so a call always comes.
 * Everything else is the wrapped instance's own (a Proxy keeps its methods bound to it).
 */
export function toolChatWrapper(base: ChatWrapper, documented: ChatModelFunctions, force: boolean): ChatWrapper {
  const generateContextState = (options: ContextStateOptions) => {
    const state = base.generateContextState({ ...options, availableFunctions: documented });
    if (!force) return state;
    return {
      ...state,
      prefixTriggers: undefined,
      noPrefixTrigger: { type: 'functionCall' as const, inject: LlamaText([]) },
    };
  };
  return new Proxy(base, {
    get(target, property) {
      if (property === 'generateContextState') return generateContextState;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
