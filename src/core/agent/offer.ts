import type { JanTool } from '../tools';
import type { ToolDefinition } from '../types';
import { schemaProblem } from './arguments';

const EFFECT_RANK: Record<JanTool['effect'], number> = { read: 0, write: 1, run: 2 };

/** A description is offered up to its first blank line and this many characters. */
const MAX_DESCRIPTION = 240;

export interface OfferedTools {
  tools: JanTool[];
  /** What the model sees of each: name, compact description, parameters. */
  definitions: ToolDefinition[];
  /** Tools not offered this turn, and why (logged; a restricted workspace, the budget, a bad schema). */
  left: Array<{ name: string; reason: string }>;
}

export interface OfferOptions {
  trusted: boolean;
  /** Only these names, when given. */
  only?: string[];
  /** Prompt tokens the descriptions may take. */
  budgetTokens: number;
  /** The user's request: tools it names come first when not all fit. */
  text: string;
}

/**
 * The tools offered for a turn: those the workspace's trust allows (no `run` tools when it is
 * restricted), whose schemas can be checked, as many as fit the budget of tool tokens. When all
 * fit, all are offered in the registry's order, so the prompt is the same turn after turn (and
 * the KV cache keeps it); otherwise tools the request names come first, then reading, writing and
 * running tools, Jan's own before others of the same effect.
 */
export async function offerTools(all: JanTool[], options: OfferOptions): Promise<OfferedTools> {
  const left: OfferedTools['left'] = [];
  const allowed = all.filter((tool) => {
    const name = tool.definition.name;
    if (options.only && !options.only.includes(name)) return false;
    if (!options.trusted && tool.effect === 'run') left.push({ name, reason: 'the workspace is restricted' });
    return options.trusted || tool.effect !== 'run';
  });
  const problems = await Promise.all(allowed.map((tool) => schemaProblem(tool.definition)));
  const candidates = allowed.filter((tool, index) => {
    const problem = problems[index];
    if (problem) left.push({ name: tool.definition.name, reason: problem });
    return !problem;
  });
  const cost = new Map(candidates.map((tool) => [tool, estimateTokens(compactDefinition(tool.definition))]));
  const total = [...cost.values()].reduce((sum, tokens) => sum + tokens, 0);
  let chosen = candidates;
  if (total > options.budgetTokens) {
    const asked = options.text.toLowerCase();
    // VS Code alone lists dozens of `run` tools (vscode.lm.tools): they must not crowd out the
    // workspace's own reading and editing tools, nor Jan's own tool of the same effect.
    const rank = (tool: JanTool) =>
      (asked.includes(tool.definition.name.toLowerCase()) ? 0 : 6) +
      EFFECT_RANK[tool.effect] * 2 +
      (tool.source === 'jan' ? 0 : 1);
    const ranked = [...candidates].sort((a, b) => rank(a) - rank(b));
    const kept = new Set<JanTool>();
    let used = 0;
    for (const tool of ranked) {
      if (used + cost.get(tool)! > options.budgetTokens) {
        left.push({ name: tool.definition.name, reason: 'over the budget of tool tokens' });
        continue;
      }
      used += cost.get(tool)!;
      kept.add(tool);
    }
    chosen = candidates.filter((tool) => kept.has(tool));
  }
  return { tools: chosen, definitions: chosen.map((tool) => compactDefinition(tool.definition)), left };
}

export function compactDefinition(definition: ToolDefinition): ToolDefinition {
  const first = definition.description.split(/\n\s*\n/)[0]!.trim();
  const description = first.length > MAX_DESCRIPTION ? `${first.slice(0, MAX_DESCRIPTION - 1)}…` : first;
  return { name: definition.name, description, parameters: definition.parameters };
}

/** About 4 characters a token, plus the template's lines around each tool. */
function estimateTokens(definition: ToolDefinition): number {
  return (
    Math.ceil(
      (definition.name.length + definition.description.length + JSON.stringify(definition.parameters).length) / 4,
    ) + 8
  );
}
