import type {
  AgentEvent,
  AgentTurnOptions,
  ApprovalDecision,
  ApprovalRequest,
  Disposable,
  EventBus,
  FileChange,
  ToolEffect,
} from '@jan/core';
import type {
  AgentTurnView,
  ApprovalView,
  HostMessage,
  MessageHandlers,
  ToolStepView,
  WebviewMessage,
} from '@jan/protocol';
import type { AgentHostPort } from '../chat-backend';
import type { WebviewChannel } from '../webview-channel';
import { approvalView, argumentsText, fileDiffView } from './agent-views';
import { Checkpoint } from './checkpoint';

/** The view keeps the last steps of a long turn (the stored messages keep them all). */
const MAX_STEPS_SHOWN = 256;
/** Files of a checkpoint drawn as diffs (all of them are reverted). */
const MAX_DIFFS_SHOWN = 20;
const MAX_PATHS_SHOWN = 500;
/** Threads whose last agent turn (and its checkpoint) is kept. */
const MAX_THREADS_KEPT = 20;

interface PendingApproval {
  view: ApprovalView;
  /** The changes shown as diffs (the tool's preview). */
  preview: readonly FileChange[];
  answer(decision: ApprovalDecision): void;
}

/** The last agent turn of a thread, as the view shows it. */
interface TurnState {
  turnId: string;
  running: boolean;
  steps: Map<string, ToolStepView>;
  approval: PendingApproval | undefined;
  checkpoint: Checkpoint;
  reverted?: { conflicts: string[] };
  reverting?: boolean;
}

/**
 * The chat's side of agent turns (docs/ARCHITECTURE.md, "Agent mode in the chat"): builds each
 * turn's options (approval through the view, the workspace's trust), follows `OnAgentStep` into
 * the view's steps, holds the call waiting for the user, and keeps each thread's last turn's
 * changed files as a checkpoint the user can revert.
 */
export class AgentRelay {
  private readonly turns = new Map<string, TurnState>();
  /** Each tool's effect as its last call said (`source/name`): "review edits after" allows built-in writes. */
  private readonly effects = new Map<string, ToolEffect>();
  private readonly subscription: Disposable;

  constructor(
    events: EventBus,
    private readonly channel: WebviewChannel<HostMessage>,
    private readonly activeThreadId: () => string | undefined,
    private readonly port: AgentHostPort,
  ) {
    this.subscription = events.on('OnAgentStep', (event) => this.onStep(event));
  }

  /** Agent turns need a folder for their tools: none is open. */
  get unavailable(): string | undefined {
    return this.port.hasWorkspace() ? undefined : 'Open a folder to use Agent mode: its tools act on the workspace.';
  }

  /** The options of an agent turn in `threadId`: approval asks in the view. */
  options(threadId: string): AgentTurnOptions {
    return {
      trusted: this.port.isTrusted(),
      approval: {
        approve: (request, signal) => this.ask(threadId, request, signal),
        isAlwaysAllowed: (tool) =>
          this.port.isAlwaysAllowed(tool) ||
          (this.port.reviewsEditsAfter() &&
            tool.source === 'jan' &&
            this.effects.get(`${tool.source}/${tool.name}`) === 'write'),
        rememberAlways: (tool) => this.port.rememberAlways(tool),
      },
    };
  }

  /** The user's answer to the call waiting in `threadId`; an answer to another call is ignored. */
  answer(threadId: string, callId: string, decision: ApprovalDecision): void {
    const pending = this.turns.get(threadId)?.approval;
    if (pending?.view.callId === callId) pending.answer(decision);
  }

  /** Opens the diff editor on a file of the call waiting in `threadId`. */
  async openDiff(threadId: string, callId: string, path: string): Promise<void> {
    const pending = this.turns.get(threadId)?.approval;
    const change = pending?.view.callId === callId ? pending.preview.find((file) => file.path === path) : undefined;
    if (change) await this.port.showDiff(change);
  }

  /** Reverts the files of the thread's last turn (once); the view hears what was left alone. */
  async revert(threadId: string, turnId: string): Promise<void> {
    const turn = this.turns.get(threadId);
    if (!turn || turn.turnId !== turnId || turn.running || turn.reverted || turn.reverting) return;
    // A second click while the first revert writes must not revert again (it would see only conflicts).
    turn.reverting = true;
    try {
      turn.reverted = await this.port.restore(turn.checkpoint.restores());
    } finally {
      turn.reverting = false;
    }
    this.show(threadId);
  }

  /** A turn ended (also by an error before the loop's own `finished`): nothing runs or waits any more. */
  settle(threadId: string): void {
    const turn = this.turns.get(threadId);
    if (!turn?.running) return;
    turn.running = false;
    turn.approval?.answer({ decision: 'deny', reason: 'the turn ended' });
    this.show(threadId);
  }

  /** Sends the thread's last turn (or none) to the view, as after opening the thread. */
  show(threadId: string): void {
    if (threadId !== this.activeThreadId()) return;
    const turn = this.turns.get(threadId);
    this.channel.send({ type: 'agentTurn', threadId, turn: turn ? view(turn) : null });
  }

  dispose(): void {
    this.subscription.dispose();
    for (const threadId of this.turns.keys()) this.settle(threadId);
  }

  /** Checkpoints hold whole file texts: only the threads used last keep theirs (a running turn always does). */
  private forgetOldTurns(): void {
    for (const [threadId, turn] of this.turns) {
      if (this.turns.size <= MAX_THREADS_KEPT) return;
      if (!turn.running) this.turns.delete(threadId);
    }
  }

  private ask(threadId: string, request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    const turn = this.turns.get(threadId);
    if (!turn) return Promise.resolve({ decision: 'deny', reason: 'the turn is not shown' });
    return new Promise<ApprovalDecision>((resolve) => {
      const done = (decision: ApprovalDecision) => {
        signal.removeEventListener('abort', stopped);
        if (turn.approval === pending) turn.approval = undefined;
        resolve(decision);
        this.show(threadId);
      };
      const stopped = () => done({ decision: 'deny', reason: 'stopped' });
      const pending: PendingApproval = { view: approvalView(request), preview: request.preview ?? [], answer: done };
      turn.approval?.answer({ decision: 'deny', reason: 'another call was asked first' });
      turn.approval = pending;
      signal.addEventListener('abort', stopped, { once: true });
      this.show(threadId);
    });
  }

  private onStep(event: AgentEvent): void {
    let turn = this.turns.get(event.threadId);
    if (turn?.turnId !== event.turnId) {
      turn = {
        turnId: event.turnId,
        running: true,
        steps: new Map(),
        approval: undefined,
        checkpoint: new Checkpoint(),
      };
      this.turns.delete(event.threadId);
      this.turns.set(event.threadId, turn);
      this.forgetOldTurns();
    }
    if (event.type === 'step-started') {
      // The last step's calls are stored now and drawn in the thread: the panel shows the new step's.
      if (turn.steps.size === 0) return;
      turn.steps.clear();
    } else if (event.type === 'tool-call') {
      this.effects.set(`${event.source}/${event.tool}`, event.effect);
      turn.steps.set(event.callId, stepView(event.callId, event.tool, event.arguments, event.effect, event.source));
    } else if (event.type === 'tool-result') {
      const step = turn.steps.get(event.callId);
      if (step) turn.steps.set(event.callId, { ...step, outcome: event.outcome, summary: event.summary.slice(0, 500) });
      if (event.changes) turn.checkpoint.add(event.changes);
    } else if (event.type === 'finished') {
      turn.running = false;
    } else {
      // approval-needed: `ask` shows the approval.
      return;
    }
    this.show(event.threadId);
  }
}

function stepView(
  callId: string,
  tool: string,
  args: Record<string, unknown> | string,
  effect: ToolEffect,
  source: string,
): ToolStepView {
  return { id: callId.slice(0, 200), tool: tool.slice(0, 200), arguments: argumentsText(args), effect, source };
}

/** Paths as the view's schema takes them (a turn may change more files, or name longer paths, than it shows). */
function shownPaths(paths: readonly string[]): string[] {
  return paths.slice(0, MAX_PATHS_SHOWN).map((path) => path.slice(0, 4096));
}

function view(turn: TurnState): AgentTurnView {
  const steps = [...turn.steps.values()].slice(-MAX_STEPS_SHOWN);
  const shown: AgentTurnView = { turnId: turn.turnId, running: turn.running, steps };
  if (turn.approval) shown.approval = turn.approval.view;
  const files = turn.checkpoint.paths;
  if (files.length > 0)
    shown.checkpoint = {
      files: shownPaths(files),
      diffs: turn.checkpoint.changes().slice(0, MAX_DIFFS_SHOWN).map(fileDiffView),
      ...(turn.reverted ? { reverted: { conflicts: shownPaths(turn.reverted.conflicts) } } : {}),
    };
  return shown;
}

export type AgentMessage = Extract<WebviewMessage, { type: 'approve' | 'revertCheckpoint' | 'openApprovalDiff' }>;

/** The view's agent messages: the answer to an approval, a checkpoint's Revert, a proposed change's diff. */
export function agentHandlers(agent: AgentRelay): MessageHandlers<AgentMessage, Promise<void> | void> {
  return {
    approve: ({ threadId, callId, decision, reason }) =>
      agent.answer(threadId, callId, decision === 'deny' ? { decision, reason } : { decision }),
    revertCheckpoint: ({ threadId, turnId }) => agent.revert(threadId, turnId),
    openApprovalDiff: ({ threadId, callId, path }) => agent.openDiff(threadId, callId, path),
  };
}
