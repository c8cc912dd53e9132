import type { Disposable } from '../events';
import type { JanTool } from './tool';

/** The tools the agent may offer a model, by name. Every source registers here, built-in ones too. */
export class ToolRegistry {
  private readonly tools = new Map<string, JanTool>();
  private readonly listeners = new Set<() => void>();

  /** Adds a tool; a name already registered is refused. Disposing removes exactly this tool. */
  register(tool: JanTool): Disposable {
    const name = tool.definition.name;
    if (this.tools.has(name)) throw new Error(`A tool named "${name}" is already registered`);
    this.tools.set(name, tool);
    this.changed();
    return {
      dispose: () => {
        if (this.tools.get(name) !== tool) return;
        this.tools.delete(name);
        this.changed();
      },
    };
  }

  get(name: string): JanTool | undefined {
    return this.tools.get(name);
  }

  all(): JanTool[] {
    return [...this.tools.values()];
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
