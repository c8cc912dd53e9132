import { ATTACHMENT_TOKEN_CAP, fitToTokens, type ContextItem, type TokenCounter } from '../context/context-item';
import { codebaseContextText, codebaseSearch, type CodebaseSearchOptions } from './codebase-search';

/**
 * `@codebase` as an attachment: the files that best match the question, a line from each, cut to
 * what one attachment may take. An empty result is said, not sent as nothing.
 */
export async function codebaseContext(
  question: string,
  options: CodebaseSearchOptions,
  count: TokenCounter,
): Promise<ContextItem> {
  const hits = await codebaseSearch(question, options);
  const fitted = await fitToTokens(codebaseContextText(question, hits), ATTACHMENT_TOKEN_CAP, count);
  const files = `${hits.length} file${hits.length === 1 ? '' : 's'}`;
  const item: ContextItem = {
    kind: 'codebase',
    label: `Codebase (${files})`,
    text: fitted.text,
    tokens: fitted.tokens,
  };
  if (fitted.cut) item.note = `cut to ${ATTACHMENT_TOKEN_CAP.toLocaleString('en-US')} tokens`;
  return item;
}
