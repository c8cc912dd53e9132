import { IdRegistry } from '../id-registry';
import type { JanTool } from './tool';

/** The tools the agent may offer a model, by name. Every source registers here, built-in ones too. */
export class ToolRegistry extends IdRegistry<JanTool> {
  constructor() {
    super('tool named', (tool) => tool.definition.name);
  }
}
