/**
 * The user's MCP choices, kept apart from the config files (a user's Jan file is never
 * rewritten): servers and tools turned off or on, tools allowed without asking, whether a
 * server's read-only tools run without asking, and the answer given for each workspace server
 * (with the fingerprint of what was approved, so a changed command asks again). The VS Code side
 * stores this in its global/workspace state; FileMcpPreferences keeps it in a JSON file.
 */
import * as v from 'valibot';
import { validate } from '@jan/validation';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@jan/core';

export interface McpServerChoices {
  /** Overrides the config's `active`. */
  enabled?: boolean;
  disabledTools?: string[];
  /** Tools that run without asking (the user chose "Always allow"). */
  alwaysAllow?: string[];
  /** Tools the server marks read-only run without asking. */
  trustReadOnly?: boolean;
}

export interface WorkspaceServerAnswer {
  fingerprint: string;
  allowed: boolean;
}

export interface McpChoices {
  /** By server key (`user:<name>`, `workspace:<name>`). */
  servers: Record<string, McpServerChoices>;
  /** By workspace server name. */
  workspaceAnswers: Record<string, WorkspaceServerAnswer>;
}

export interface McpPreferences {
  load(): Promise<McpChoices>;
  save(choices: McpChoices): Promise<void>;
}

const Choices = v.object({
  servers: v.optional(
    v.record(
      v.string(),
      v.object({
        enabled: v.optional(v.boolean()),
        disabledTools: v.optional(v.array(v.string())),
        alwaysAllow: v.optional(v.array(v.string())),
        trustReadOnly: v.optional(v.boolean()),
      }),
    ),
    {},
  ),
  workspaceAnswers: v.optional(v.record(v.string(), v.object({ fingerprint: v.string(), allowed: v.boolean() })), {}),
});

export const emptyChoices = (): McpChoices => ({ servers: {}, workspaceAnswers: {} });

/** Choices read from anywhere (a file, editor state), checked; anything unreadable counts as no choices. */
export function parseChoices(value: unknown): McpChoices {
  const parsed = validate(Choices, value);
  return parsed.ok ? parsed.value : emptyChoices();
}

/** In a JSON file (the CLI, the eval, tests), written atomically. */
export class FileMcpPreferences implements McpPreferences {
  constructor(private readonly file: string) {}

  async load(): Promise<McpChoices> {
    try {
      return parseChoices(JSON.parse(await readFile(this.file, 'utf8')));
    } catch {
      return emptyChoices();
    }
  }

  save(choices: McpChoices): Promise<void> {
    return writeFileAtomic(this.file, `${JSON.stringify(choices, null, 2)}\n`);
  }
}

/** Kept in memory only: nothing is remembered after the process ends. */
export class MemoryMcpPreferences implements McpPreferences {
  private choices = emptyChoices();

  async load(): Promise<McpChoices> {
    return structuredClone(this.choices);
  }

  async save(choices: McpChoices): Promise<void> {
    this.choices = structuredClone(choices);
  }
}
