import type { ToolEffect } from '../tools';
import type { ApprovalDecision, ApprovalPort, ApprovalRequest } from './types';

export interface ApprovalFlags {
  /** Effects allowed without asking (a CLI's `--allow write,run`). */
  allow?: Array<Exclude<ToolEffect, 'read'>>;
  /** Tools allowed by name whatever their effect (a CLI's `--allow-tool edit_file`). */
  tools?: string[];
}

/**
 * An approval port for a host that cannot ask (the CLI, a script): it answers from flags given
 * up front. What the flags do not allow is denied with a reason naming the flag, which the model
 * reads; a restricted workspace still allows nothing but reading unless a flag says so.
 */
export function flagApproval(flags: ApprovalFlags, hint = 'the --allow flags'): ApprovalPort {
  const effects = new Set(flags.allow ?? []);
  const tools = new Set(flags.tools ?? []);
  return {
    async approve(request: ApprovalRequest): Promise<ApprovalDecision> {
      if (effects.has(request.effect) || tools.has(request.tool)) return { decision: 'allow-once' };
      return { decision: 'deny', reason: `${request.effect} tools are not allowed by ${hint}` };
    },
  };
}
