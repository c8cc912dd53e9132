import type { ModelPlan, WorkerStatus } from './engine';

export type ModelRole = 'chat' | 'completion';

/** One model in the plan: what it holds (loaded) or would hold (planned), by part. */
export interface PlannedModel {
  modelId: string;
  roles: ModelRole[];
  loaded: boolean;
  contextSize: number;
  trainContextSize: number;
  contextLimit: ModelPlan['contextLimit'];
  sequences: number;
  completionContextSize: number;
  gpuLayers: number;
  totalLayers: number;
  /** RAM + GPU memory of the weights, the chat sequences and the completion context (0: not held). */
  modelBytes: number;
  chatBytes: number;
  completionBytes: number;
  fit?: ModelPlan['fit'];
  reason?: string;
}

export interface MemoryPlan {
  status: WorkerStatus;
  models: PlannedModel[];
  /** What the models hold or would hold together. */
  totalBytes: number;
}

export interface PlanSource {
  /** The running worker's status (started if need be). */
  status(): Promise<WorkerStatus>;
  plan(modelId: string, options: { completion?: boolean }): Promise<ModelPlan>;
}

/**
 * The memory of the chat and completion models together: one loaded copy when one model serves
 * both (its chat sequences and its completion context); a completion-only model without chat
 * sequences (they are made by the first chat turn); a loaded model as it is, one not loaded as it
 * would be. Also the models loaded for anything else (the API server's).
 */
export async function memoryPlan(source: PlanSource, choices: Partial<Record<ModelRole, string>>): Promise<MemoryPlan> {
  const status = await source.status();
  const roles = new Map<string, ModelRole[]>();
  for (const role of ['chat', 'completion'] as const) {
    const id = choices[role];
    if (id) roles.set(id, [...(roles.get(id) ?? []), role]);
  }
  for (const loaded of status.models) if (!roles.has(loaded.modelId)) roles.set(loaded.modelId, []);
  const models: PlannedModel[] = [];
  for (const [modelId, modelRoles] of roles) {
    const loaded = status.models.find((entry) => entry.modelId === modelId);
    if (loaded) {
      models.push({
        ...parts(loaded),
        modelId,
        roles: modelRoles,
        loaded: true,
        chatBytes: loaded.chatAllocated ? loaded.chatRamBytes + loaded.chatVramBytes : 0,
      });
      continue;
    }
    const completion = modelRoles.includes('completion');
    const plan = await source.plan(modelId, { completion }).catch(() => undefined);
    if (!plan) continue;
    models.push({
      ...parts(plan),
      modelId,
      roles: modelRoles,
      loaded: false,
      chatBytes: modelRoles.includes('chat') ? plan.chatRamBytes + plan.chatVramBytes : 0,
      fit: plan.fit,
      reason: plan.reason,
    });
  }
  const totalBytes = models.reduce((sum, model) => sum + model.modelBytes + model.chatBytes + model.completionBytes, 0);
  return { status, models, totalBytes };
}

function parts(plan: ModelPlan) {
  return {
    contextSize: plan.contextSize,
    trainContextSize: plan.trainContextSize,
    contextLimit: plan.contextLimit,
    sequences: plan.sequences,
    gpuLayers: plan.gpuLayers,
    totalLayers: plan.totalLayers,
    modelBytes: plan.modelRamBytes + plan.modelVramBytes,
    completionContextSize: plan.completionContextSize,
    completionBytes: plan.completionRamBytes + plan.completionVramBytes,
  };
}
