/**
 * The part of VS Code's language model provider API (finalized in VS Code 1.104) that Jan uses.
 * `engines.vscode` stays at ^1.90.0 and @types/vscode at 1.90.0 (vsce refuses types newer than the
 * engine), so these are declared here and the API is looked up at run time (chat-provider.ts).
 */
import type { CancellationToken, Disposable, Event, Progress } from 'vscode';

export interface JanLmChatInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}

/** `role`: LanguageModelChatMessageRole (1 user, 2 assistant, 3 system); `content`: parts, text parts have `value`. */
export interface JanLmRequestMessage {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
  readonly name: string | undefined;
}

export interface JanLmResponseOptions {
  readonly modelOptions?: { readonly [name: string]: unknown };
}

export interface JanLmChatProvider {
  readonly onDidChangeLanguageModelChatInformation?: Event<void>;
  provideLanguageModelChatInformation(
    options: { readonly silent: boolean },
    token: CancellationToken,
  ): Promise<JanLmChatInformation[]>;
  provideLanguageModelChatResponse(
    model: JanLmChatInformation,
    messages: readonly JanLmRequestMessage[],
    options: JanLmResponseOptions,
    progress: Progress<unknown>,
    token: CancellationToken,
  ): Promise<void>;
  provideTokenCount(
    model: JanLmChatInformation,
    text: string | JanLmRequestMessage,
    token: CancellationToken,
  ): Promise<number>;
}

/** `vscode.lm` where the provider API exists. */
export interface JanLmRegistry {
  registerLanguageModelChatProvider(vendor: string, provider: JanLmChatProvider): Disposable;
}

/** `vscode.LanguageModelTextPart`: a reply's text is reported as instances of it. */
export type JanLmTextPartClass = new (value: string) => unknown;

/** `vscode.lm.tools[]` (VS Code 1.93+): a tool another extension contributes. */
export interface JanLmToolInformation {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: object | undefined;
  readonly tags: readonly string[];
}

/** `vscode.lm` where the tools API exists: the tools, and VS Code's own invocation of one. */
export interface JanLmTools {
  readonly tools: readonly JanLmToolInformation[];
  invokeTool(
    name: string,
    options: { input: object; toolInvocationToken: undefined },
    token?: CancellationToken,
  ): Thenable<{ content: ReadonlyArray<unknown> }>;
}
