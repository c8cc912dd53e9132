import { contextParts, textOf, toolStepsOf } from '@jan/core';
import type { Thread, ThreadMessage } from '@jan/core';

const ROLE_HEADING: Record<ThreadMessage['role'], string> = {
  user: 'User',
  assistant: 'Assistant',
  system: 'System',
  tool: 'Tool',
};

/**
 * A thread as a readable Markdown document: a heading per message, the text as written (it is
 * Markdown already, so code blocks stay code blocks), and what a reader needs to trust it: the
 * model, a reply that failed or was stopped.
 */
export function threadToMarkdown(
  thread: Thread,
  messages: readonly ThreadMessage[],
  notIncluded: readonly string[] = [],
): string {
  const assistant = thread.assistants[0];
  const lines = [`# ${thread.title || 'Untitled thread'}`, ''];
  const about = [`Thread \`${thread.id}\``, `created ${new Date(thread.created).toISOString()}`];
  if (assistant) about.push(`assistant ${assistant.assistant_name}`);
  lines.push(`_${about.join(' · ')}_`, '');
  if (assistant?.instructions) lines.push('> **Instructions:** ' + assistant.instructions.split('\n').join('\n> '), '');
  for (const message of messages) {
    const model =
      message.role === 'assistant' && typeof message.metadata?.model === 'string' ? ` (${message.metadata.model})` : '';
    lines.push(`## ${ROLE_HEADING[message.role]}${model}`, '');
    const steps = toolStepsOf(message);
    const text = textOf(message).trimEnd();
    if (text || steps.length === 0) lines.push(text || '_(empty)_', '');
    // An agent step: each call with its arguments and what the tool answered.
    for (const step of steps) lines.push(...stepLines(step));
    // What was attached with @ (files, a selection…) is part of what was asked: kept, as the model read it.
    const attached = contextParts(message).map((part) => part.text.value.trimEnd());
    if (attached.length > 0) lines.push('_Attached:_', '', ...attached.flatMap((block) => [block, '']));
    if (message.status === 'error')
      lines.push(`_This reply failed: ${String(message.metadata?.error ?? 'unknown error')}_`, '');
    if (message.status === 'stopped') lines.push('_This reply was stopped before it was complete._', '');
  }
  if (notIncluded.length > 0) {
    lines.push(
      '---',
      '',
      'Files this thread refers to that are not part of this export:',
      '',
      ...notIncluded.map((file) => `- ${file}`),
      '',
    );
  }
  return lines.join('\n');
}

/** A fence longer than any run of backticks in `text`, so the text cannot close it. */
function fence(text: string): string {
  let longest = 2;
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  return '`'.repeat(longest + 1);
}

function stepLines(step: ReturnType<typeof toolStepsOf>[number]): string[] {
  const outcome = step.outcome && step.outcome !== 'ok' ? ` — ${step.outcome}` : '';
  const summary = step.summary ? `: ${step.summary}` : '';
  const lines = [`**Tool call \`${step.name}\`**${outcome}${summary}`, ''];
  const args = step.arguments.trim() || '{}';
  lines.push(`${fence(args)}json`, args, fence(args), '');
  if (step.result !== undefined) {
    const result = step.result.trimEnd();
    lines.push('_Result:_', '', fence(result), result, fence(result), '');
  }
  return lines;
}
