import type { Disposable } from '../events';
import { SETTINGS, SETTING_KEYS, type SettingKey, type SettingValue } from './registry';

/** What each level sets for a key, undefined where it sets nothing. */
export interface SettingLevels {
  /** The user's own value (VS Code: user settings; the CLI: its flags). */
  user?: unknown;
  /** The workspace's (VS Code: the workspace's or the folder's settings). */
  workspace?: unknown;
}

/**
 * Where setting values come from: VS Code's configuration (src/vscode/settings.ts), the CLI's
 * flags, a Node app's object (`MemorySettings`). The source only reports raw values; the bounds,
 * defaults and trust rules are the registry's, the same for every source.
 */
export interface SettingsSource {
  levels(key: SettingKey): SettingLevels;
  /** False in a workspace the user has not trusted; a source without workspaces is always trusted. */
  isTrusted?(): boolean;
  /** Tells which keys may have changed (VS Code: a settings edit, or the workspace becoming trusted). */
  onDidChange?(listener: (keys: readonly SettingKey[]) => void): Disposable;
}

export interface JanSettingsOptions {
  /** Told once per distinct problem: a value out of bounds and what is used instead. */
  warn?: (message: string) => void;
}

/**
 * Jan's settings as the code reads them: typed by the registry, bounded (a value out of bounds is
 * replaced, and said so once), a restricted workspace's value ignored. One instance per runtime
 * (`JanRuntime.settings`).
 */
export class JanSettings {
  private readonly warned = new Set<string>();

  constructor(
    readonly source: SettingsSource,
    private readonly options: JanSettingsOptions = {},
  ) {}

  /** The value in effect: the workspace's when it may set it, else the user's, else the default. */
  get<K extends SettingKey>(key: K): SettingValue<K> {
    const { user, workspace } = this.levels(key);
    const raw = workspace !== undefined ? workspace : user;
    const spec = SETTINGS[key];
    if (raw === undefined) return spec.default as SettingValue<K>;
    const { value, warning } = spec.read(raw, key);
    if (warning && !this.warned.has(warning)) {
      this.warned.add(warning);
      this.options.warn?.(warning);
    }
    return value as SettingValue<K>;
  }

  /** The raw value of each level that may set the key here (a restricted workspace's is left out). */
  levels(key: SettingKey): SettingLevels {
    const levels = this.source.levels(key);
    const trust = SETTINGS[key].trust;
    const trusted = this.source.isTrusted?.() ?? true;
    if (trust === 'user-only' || (trust === 'restricted' && !trusted)) return { user: levels.user };
    return levels;
  }

  /** Calls `listener` when any of `keys` may have changed. */
  onDidChange(keys: readonly SettingKey[], listener: () => void): Disposable {
    const wanted = new Set(keys);
    return (
      this.source.onDidChange?.((changed) => {
        if (changed.some((key) => wanted.has(key))) listener();
      }) ?? { dispose: () => undefined }
    );
  }
}

/** Settings held in memory, all the user's own (the CLI's flags, a Node app, the tests); `set` tells listeners. */
export class MemorySettings implements SettingsSource {
  private readonly values = new Map<SettingKey, unknown>();
  private readonly listeners = new Set<(keys: readonly SettingKey[]) => void>();

  constructor(values: { [K in SettingKey]?: unknown } = {}) {
    for (const key of SETTING_KEYS) if (values[key] !== undefined) this.values.set(key, values[key]);
  }

  levels(key: SettingKey): SettingLevels {
    return { user: this.values.get(key) };
  }

  set(key: SettingKey, value: unknown): void {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    for (const listener of [...this.listeners]) listener([key]);
  }

  onDidChange(listener: (keys: readonly SettingKey[]) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
