import { JanSettings, type SettingKey } from '@jan/core';

/** A value, or a getter read at each use (a test that switches the chat model between turns). */
type TestValue = unknown;

/**
 * Jan's settings for a test, as the user's own values: fixed ones, and functions read each time a
 * setting is read. The registry bounds them as it bounds the editor's.
 */
export function testSettings(values: { [K in SettingKey]?: TestValue }): JanSettings {
  return new JanSettings({
    levels: (key) => {
      const value = values[key];
      return { user: typeof value === 'function' ? (value as () => unknown)() : value };
    },
  });
}

/** The llama.cpp settings the integration tests run with: one thread, no GPU, a small context, no idle unload. */
export const SMALL_ENGINE = {
  'jan.engine.threads': 1,
  'jan.engine.gpu': 'off',
  'jan.engine.contextSize': 512,
  'jan.engine.idleUnloadMinutes': 0,
  'jan.engine.transport': 'process',
} as const;
