import * as v from 'valibot';
import { JanApiError, SETTING_KEYS, type Logger, type SettingKey } from '@jan/core';
import { validate } from '@jan/validation';

export interface CreateJanRuntimeOptions {
  /** The `.jan` folder whose threads and assistants the program reads and writes. */
  dataFolder: string;
  /** Where models are (`<model-id>/model.json` + GGUF); default: the folder the editor and the CLI share. */
  modelsFolder?: string;
  /**
   * Jan's settings by key (package.json `contributes.configuration`: `jan.chatModel`,
   * `jan.engine.contextSize`, `jan.chat.maxTokens`…), bounded like the editor's; the rest keep
   * their defaults. An unknown key is refused. Models stay loaded until `close()`.
   */
  settings?: { [key: `jan.${string}`]: unknown };
  /** The program's name, as `caller.displayName`; default `Node program`. */
  name?: string;
  /** Where Jan's log lines go; default: warnings and errors to stderr. */
  logger?: Logger;
  /** The folder an assistant's always-in-context files are read from. */
  workspaceRoot?: string;
}

const folder = v.pipe(v.string(), v.trim(), v.minLength(1, 'a folder path'), v.maxLength(4096));

const OptionsSchema = v.object({
  dataFolder: folder,
  modelsFolder: v.optional(folder),
  settings: v.optional(v.record(v.string(), v.unknown())),
  name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
  logger: v.optional(v.object({ debug: v.function(), info: v.function(), warn: v.function(), error: v.function() })),
  workspaceRoot: v.optional(folder),
});

/** The options as checked at the SDK's door: a wrong one is a JanApiError naming the field. */
export function checkedOptions(options: unknown): CreateJanRuntimeOptions {
  const checked = validate(OptionsSchema, options, { what: 'createJanRuntime: the options' });
  if (!checked.ok) throw new JanApiError('INVALID_ARGUMENT', checked.error);
  // Each setting's value is bounded by the registry (JanSettings warns and keeps the default); a key it does not know is a typo.
  const unknown = Object.keys(checked.value.settings ?? {}).filter((key) => !SETTING_KEYS.includes(key as SettingKey));
  if (unknown.length > 0)
    throw new JanApiError('INVALID_ARGUMENT', `createJanRuntime: unknown setting ${unknown.join(', ')}.`);
  // The caller's own logger object: its methods may rely on `this` (the checked copy holds bare functions).
  const { logger } = options as CreateJanRuntimeOptions;
  return { ...(checked.value as CreateJanRuntimeOptions), ...(logger ? { logger } : {}) };
}
