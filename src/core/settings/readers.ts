/** The groups of settings that features read together, typed from the registry. */
import type { ModelPurpose } from '../model-choice';
import type { SettingKey, SettingValue } from './registry';
import { settingsUnder } from './registry';
import type { JanSettings } from './settings';

const MODEL_SETTING = {
  chat: 'jan.chatModel',
  completion: 'jan.completionModel',
} as const satisfies Record<ModelPurpose, SettingKey>;

/** The setting that names the model for a purpose. */
export function modelSetting(purpose: ModelPurpose): (typeof MODEL_SETTING)[ModelPurpose] {
  return MODEL_SETTING[purpose];
}

/** The model id chosen for a purpose, or undefined. */
export function chosenModel(settings: JanSettings, purpose: ModelPurpose): string | undefined {
  return settings.get(MODEL_SETTING[purpose]).trim() || undefined;
}

/** `jan.chat.maxTokens`: the longest chat reply when the thread sets none; 0 means no limit. */
export function chatMaxTokens(settings: JanSettings): number | undefined {
  const value = settings.get('jan.chat.maxTokens');
  return value > 0 ? value : undefined;
}

type Section<P extends string> = {
  [K in SettingKey as K extends `${P}.${infer Name}` ? Name : never]: SettingValue<K>;
};

function section<P extends string>(settings: JanSettings, prefix: P): Section<P> {
  const values: Record<string, unknown> = {};
  for (const key of settingsUnder(prefix)) values[key.slice(prefix.length + 1)] = settings.get(key);
  return values as Section<P>;
}

/** The `jan.engine.*` settings by their short names, as the llama.cpp engine reads them. */
export type EngineSettingValues = Section<'jan.engine'>;
export function engineSettings(settings: JanSettings): EngineSettingValues {
  return section(settings, 'jan.engine');
}

/** The `jan.inlineCompletion.*` settings by their short names. */
export type CompletionSettings = Section<'jan.inlineCompletion'>;
export function completionSettings(settings: JanSettings): CompletionSettings {
  return section(settings, 'jan.inlineCompletion');
}
