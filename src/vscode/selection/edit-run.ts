import * as vscode from 'vscode';
import { ON_THIS_MACHINE, runCodeEdit } from '@jan/core';
import type { CodeEdit, CodeEditOutcome, InferenceService, Logger, ModelChoice } from '@jan/core';
import { displayText } from '../display-text';
import type { LiveProposal, ProposalStore } from './proposals';

export interface EditRunDeps {
  /** Runs the user's chat model: the same path as the chat and the API server. */
  inference: InferenceService;
  /** Shared with the chat view's Apply button: one place shows and applies proposed edits. */
  proposals: ProposalStore;
  /** Jan's log: each edit, its tokens and time, a stop, an answer with no code. */
  logger: Logger;
}

/** The model and where it runs ("stories260K · this machine", "gpt-4o · api.openai.com"), as the status bar says it. */
export function modelSource(inference: InferenceService, model: ModelChoice): string {
  const runsOn = inference.engines.get(model.engine)?.runsOn ?? ON_THIS_MACHINE;
  return `${displayText(model.id)} · ${runsOn.kind === 'local' ? 'this machine' : displayText(runsOn.host)}`;
}

/**
 * Runs an edit into a proposal that streams into a diff: a progress notification with the tokens
 * and a Cancel that stops (as Escape and the diff's Stop button do), then the review, or one
 * message saying why there is nothing to review. Failures discard the proposal and propagate.
 */
export async function runEdit(
  deps: EditRunDeps,
  target: { document: vscode.TextDocument; range: vscode.Range },
  edit: CodeEdit,
  title: string,
  model: ModelChoice,
): Promise<void> {
  const size = edit.original.trim() ? `${edit.original.length} characters` : 'new code';
  deps.logger.info(`${edit.what}: ${size}, at most ${edit.maxTokens} tokens.`);
  const live = deps.proposals.start(target.document, target.range, title, modelSource(deps.inference, model));
  // Updates open the diff, then change it: in order, and all done before the review.
  let shown = Promise.resolve();
  const show = (replacement: string) => (shown = shown.then(() => live.update(replacement)));
  let outcome: CodeEditOutcome;
  try {
    outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Jan: ${title}`, cancellable: true },
      async (progress, token) => {
        const subscription = token.onCancellationRequested(() => deps.proposals.stop(live.uri));
        try {
          progress.report({ message: `loading ${displayText(model.id)}…` });
          return await runCodeEdit(deps.inference, model, edit, {
            signal: live.signal,
            logger: deps.logger,
            onProgress: ({ tokens, maxTokens, replacement }) => {
              if (replacement !== undefined) void show(replacement);
              if (tokens % 8 === 1) progress.report({ message: `${tokens} of at most ${maxTokens} tokens` });
            },
          });
        } finally {
          subscription.dispose();
        }
      },
    );
    await shown;
  } catch (error) {
    await live.discard();
    throw error;
  }
  await present(deps, live, edit, title, outcome);
}

async function present(
  deps: EditRunDeps,
  live: LiveProposal,
  edit: CodeEdit,
  title: string,
  outcome: CodeEditOutcome,
): Promise<void> {
  const keys = 'Enter accepts it, Escape rejects it.';
  if (outcome.status === 'complete') {
    if (outcome.replacement === edit.original) {
      await live.discard();
      void vscode.window.showInformationMessage(`Jan: ${title} changed nothing.`);
      return;
    }
    await live.update(outcome.replacement);
    await live.review(`Jan proposes a change (${title}). ${keys}`);
    return;
  }
  const rest = edit.original.trim() ? ', then the rest of the code as it was' : '';
  if (outcome.status === 'incomplete' && outcome.replacement !== undefined) {
    await live.update(outcome.replacement);
    const why =
      outcome.reason === 'stopped'
        ? `Stopped after ${outcome.tokens} tokens`
        : `${title} reached its limit of ${outcome.maxTokens} tokens before the code was complete`;
    await live.review(`Jan: ${why}. The proposal has the lines written so far${rest}. ${keys}`, 'warning');
    return;
  }
  await live.discard();
  if (outcome.status === 'incomplete' && outcome.reason === 'stopped') return;
  const problem =
    outcome.status === 'no-code'
      ? 'the model returned no code'
      : `${title} stopped at ${outcome.maxTokens} tokens before writing any code`;
  deps.logger.warn(`${edit.what}: ${problem} (${outcome.tokens} tokens); nothing proposed.`);
  void vscode.window.showWarningMessage(
    `Jan: ${problem}, so nothing was proposed. Try again or rephrase the request${edit.original.trim() ? ', or select less code' : ''}.`,
  );
}
