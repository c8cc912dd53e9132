/**
 * The agent loop's public shape (docs/ARCHITECTURE.md, "Agent"): what a host supplies for an
 * agent turn (approval, trust, limits) and the typed events each step emits on the event bus.
 */
import type { FileChange, ToolEffect } from '../tools';

/** How one tool call ended. */
export type StepOutcome =
  /** The tool ran and returned. */
  | 'ok'
  /** The tool ran and reported an error (or threw). */
  | 'error'
  /** The user (or the host's policy) denied it; the reason went to the model. */
  | 'denied'
  /** Unknown tool, or arguments that did not parse or match its schema: never reached a tool. */
  | 'invalid'
  /** The tool did not answer within `toolTimeoutMs`; the turn went on. */
  | 'timeout'
  /** The same call again: not run, the model was told to use the earlier result. */
  | 'repeated'
  /** Stop was pressed while it waited for approval or ran. */
  | 'stopped';

/** Why an agent turn ended. */
export type AgentStopReason =
  /** The model answered without calling a tool. */
  | 'answered'
  | 'step-limit'
  /** Too many calls in a row never reached a tool (`maxInvalidCalls`). */
  | 'invalid-calls'
  /** The model kept making the same call (`maxRepeats`). */
  | 'repetition'
  /** The next result would not fit the context window. */
  | 'context-full'
  | 'stopped'
  | 'error';

/** What the host is asked before a `write` or `run` tool runs. */
export interface ApprovalRequest {
  threadId: string;
  callId: string;
  tool: string;
  /** Who offers the tool (`JanTool.source`: `jan`, `mcp:<server>`, …). */
  source: string;
  effect: Exclude<ToolEffect, 'read'>;
  arguments: Record<string, unknown>;
  /** The changes a write tool would make (its `preview`), to show as a diff before approving. */
  preview?: FileChange[];
  /** The workspace is restricted: every write asks and "always" is not offered. */
  restricted: boolean;
}

export type ApprovalDecision =
  | { decision: 'allow-once' }
  /** Allowed now and remembered by the host (`ApprovalPort.rememberAlways`) for this tool in this workspace. */
  | { decision: 'allow-always' }
  /** Not run; `reason` (the user's words) is sent to the model as the call's result. */
  | { decision: 'deny'; reason?: string };

/** A tool as approval policies name it. */
export interface ToolIdentity {
  name: string;
  source: string;
}

/**
 * The host's side of approval: the VS Code chat shows the request inline, the CLI answers from
 * its flags. Approval is by effect, never by what the model or a tool result says: `read` tools
 * run without asking, `write` and `run` tools always come here unless the policy allows them.
 */
export interface ApprovalPort {
  /** Asked once per call that needs approval; `signal` aborts when the turn is stopped. */
  approve(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision>;
  /** "Always for this tool in this workspace", as the host persisted it. Never consulted in a restricted workspace. */
  isAlwaysAllowed?(tool: ToolIdentity): boolean;
  /** Called after an `allow-always` decision; the host persists it. */
  rememberAlways?(tool: ToolIdentity): void | Promise<void>;
}

export interface AgentLimits {
  /** Model calls in one turn; the turn ends with a message past it. */
  maxSteps: number;
  /** Calls in a row that never reached a tool (unknown tool, invalid arguments) before the turn stops. */
  maxInvalidCalls: number;
  /** The same call (tool and arguments) made this many times more is not run; once more ends the turn. */
  maxRepeats: number;
  /** A tool that has not answered by then is abandoned (its signal aborted) and the turn goes on. */
  toolTimeoutMs: number;
  /** Prompt tokens the offered tools' descriptions may take (about 4 characters a token). */
  toolTokenBudget: number;
  /** The largest share of the context one tool result may take in the prompt; more is cut with a note. */
  resultContextShare: number;
}

export const DEFAULT_AGENT_LIMITS: AgentLimits = {
  maxSteps: 12,
  maxInvalidCalls: 3,
  maxRepeats: 1,
  toolTimeoutMs: 120_000,
  toolTokenBudget: 1200,
  resultContextShare: 0.25,
};

/** An agent turn: a chat turn whose model may call the registered tools. */
export interface AgentTurnOptions {
  approval: ApprovalPort;
  /** False in a restricted workspace: no `run` tools, every write asks. Default: the runtime's trust. */
  trusted?: boolean;
  limits?: Partial<AgentLimits>;
  /** Offer only these tools (by name); default: every registered tool, as many as fit the budget. */
  tools?: string[];
  /**
   * `required`: the model must call a tool at every step but the last (which offers none, so it
   * answers). For a host that knows the request needs tools (a command that must search first),
   * and for models that do not call tools on their own. Default `auto`: the model decides.
   */
  toolChoice?: 'auto' | 'required';
}

interface StepBase {
  threadId: string;
  /** The agent turn (the id of the user message it answers). */
  turnId: string;
  /** 1 for the first model call of the turn. */
  step: number;
}

/** One step of an agent turn as it happens, on the bus as `OnAgentStep` (the steps view draws these). */
export type AgentEvent =
  | (StepBase & { type: 'step-started' })
  | (StepBase & {
      type: 'tool-call';
      callId: string;
      tool: string;
      source: string;
      effect: ToolEffect;
      /** Parsed arguments, or the text the model wrote when it did not parse. */
      arguments: Record<string, unknown> | string;
    })
  | (StepBase & { type: 'approval-needed'; request: ApprovalRequest })
  | (StepBase & {
      type: 'tool-result';
      callId: string;
      tool: string;
      outcome: StepOutcome;
      /** One line for the step view ("12 matches in 4 files", "denied: not now"). */
      summary: string;
    })
  | (StepBase & {
      type: 'finished';
      reason: AgentStopReason;
      /** Prompt tokens evaluated and tokens generated over the whole turn (when the engine reports them). */
      usage: AgentUsage;
    });

export interface AgentUsage {
  steps: number;
  toolCalls: number;
  /** Calls that never reached a tool (unknown tool, arguments that did not parse or match the schema). */
  invalidCalls: number;
  promptTokens: number;
  /** Prompt tokens the engine had to evaluate (not found in its KV cache). */
  evaluatedTokens: number;
  completionTokens: number;
}
