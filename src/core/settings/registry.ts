import { availableParallelism } from 'node:os';
import { choice, entryList, flag, stringList, text, wholeNumber, type SettingSpec } from './spec';

/** The largest context Jan allocates, for chat and for completion. */
const MAX_CONTEXT = 131_072;

/**
 * Every setting of Jan, once: key, type, default, bounds and where it may come from. package.json
 * `contributes.configuration` and `restrictedConfigurations` must say the same (the registry test
 * checks them); code reads a setting only through `JanSettings.get` (settings.ts), so the editor,
 * the CLI and a Node app share these rules with their own source of values. CONTRIBUTING.md says
 * how to add one.
 */
export const SETTINGS = {
  'jan.modelsFolder': text('', 'restricted'),
  'jan.chatModel': text(''),
  'jan.completionModel': text(''),
  'jan.chat.maxTokens': wholeNumber({ default: 1024, min: 0 }),
  'jan.engine.threads': wholeNumber({
    default: 0,
    min: 0,
    maxOf: { limit: availableParallelism, reason: "this machine's logical cores" },
  }),
  // `off` is the CPU's name from before GPU backends could be chosen (extensions/llamacpp/settings.ts).
  'jan.engine.gpu': choice(['auto', 'cuda', 'vulkan', 'metal', 'cpu', 'off']),
  // 0: the largest context that fits the memory budget (extensions/llamacpp/worker/model-plan.ts).
  'jan.engine.contextSize': wholeNumber({
    default: 0,
    min: 0,
    zeroOrAtLeast: { min: 256, reason: 'the smallest context Jan allocates; 0 is the largest that fits' },
    max: MAX_CONTEXT,
    maxReason: 'the largest context Jan allocates',
  }),
  'jan.engine.completionContextSize': wholeNumber({
    default: 2048,
    min: 256,
    max: MAX_CONTEXT,
    maxReason: 'the largest context Jan allocates',
  }),
  'jan.engine.idleUnloadMinutes': wholeNumber({ default: 15, min: 0, max: 7 * 24 * 60 }),
  // `thread` runs llama.cpp inside the extension host: a workspace must not choose that.
  'jan.engine.transport': choice(['process', 'thread'], 'restricted'),
  'jan.engine.promptLookup': choice(['auto', 'off']),
  // Where the CUDA backend is downloaded from: a workspace must not point it at its own server.
  'jan.engine.backendRegistry': text('', 'restricted'),
  'jan.threads.commitToGit': flag(false),
  'jan.inlineCompletion.enabled': flag(true),
  'jan.inlineCompletion.debounceMs': wholeNumber({ default: 200, min: 0, max: 5000 }),
  'jan.inlineCompletion.maxTokens': wholeNumber({ default: 96, min: 1, max: 1024 }),
  'jan.inlineCompletion.minChars': wholeNumber({ default: 3, min: 0, max: 100 }),
  'jan.inlineCompletion.timeLimitMs': wholeNumber({ default: 1500, min: 50, max: 60_000 }),
  'jan.inlineCompletion.maxLines': wholeNumber({ default: 12, min: 1, max: 100 }),
  'jan.inlineCompletion.otherFilesContext': flag(true),
  'jan.assistants.default': text(''),
  // Only the user's own setting starts a server: a workspace cannot, trusted or not.
  'jan.apiServer.startWithEditor': flag(false, 'user-only'),
  'jan.apiServer.port': wholeNumber({ default: 1337, min: 0, max: 65_535, trust: 'restricted' }),
  'jan.apiServer.allowedHosts': stringList([], 'restricted'),
  'jan.apiServer.corsOrigins': stringList([], 'restricted'),
  'jan.apiServer.logPrompts': flag(false, 'restricted'),
  // Each entry is checked by the remote engines' own parser (extensions/remote/definition.ts).
  'jan.remote.engines': entryList([], 'restricted'),
} satisfies Record<string, SettingSpec<unknown>>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K] extends SettingSpec<infer T> ? T : never;

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** The keys under a section (`jan.engine` → `jan.engine.threads`, …). */
export function settingsUnder(section: string): SettingKey[] {
  return SETTING_KEYS.filter((key) => key.startsWith(`${section}.`));
}
