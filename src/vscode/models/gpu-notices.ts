import * as vscode from 'vscode';
import type { Disposable, JanCore } from '@jan/core';
import type { LlamaCppEngine } from '../../../extensions/llamacpp';
import { displayText } from '../display-text';

const NO_CUDA_OFFER = 'jan.gpu.noCudaOffer';

/**
 * What the user hears about GPU backends, once: a backend that failed to load (with the reason,
 * for each new reason), and, when an NVIDIA GPU with the CUDA runtime is found but the CUDA
 * backend was not downloaded, an offer to download it (until the user says not to ask again).
 * Checked when a model is ready: the worker has started by then.
 */
export class GpuNotices implements vscode.Disposable {
  private readonly told = new Set<string>();
  private offered = false;
  private readonly subscription: Disposable;

  constructor(
    core: JanCore,
    private readonly llama: LlamaCppEngine,
    private readonly state: vscode.Memento,
  ) {
    this.subscription = core.events.on('OnModelReady', () => void this.check());
  }

  async check(): Promise<void> {
    const info = this.llama.backendInfo();
    if (!info) return;
    const reason = info.gpuFallbackReason;
    if (reason && !this.told.has(reason)) {
      this.told.add(reason);
      const settings = 'Open Settings';
      const where = info.gpu === 'cpu' ? 'the CPU' : info.gpu;
      const choice = await vscode.window.showWarningMessage(
        `Jan: llama.cpp runs on ${where}: ${displayText(reason, 500)}`,
        settings,
      );
      if (choice === settings) await vscode.commands.executeCommand('workbench.action.openSettings', 'jan.engine.gpu');
    }
    const setting = vscode.workspace.getConfiguration('jan.engine').get<string>('gpu', 'auto');
    if (this.offered || !info.cuda.detected || info.cuda.installed || !['auto', 'cuda'].includes(setting)) return;
    if (this.state.get<boolean>(NO_CUDA_OFFER)) return;
    this.offered = true;
    const download = 'Download CUDA Backend…';
    const never = "Don't Ask Again";
    const choice = await vscode.window.showInformationMessage(
      'Jan: an NVIDIA GPU with the CUDA runtime was found. The CUDA backend (a download) usually runs models faster on it than Vulkan.',
      download,
      never,
    );
    if (choice === download) await vscode.commands.executeCommand('jan.downloadCudaBackend');
    if (choice === never) await this.state.update(NO_CUDA_OFFER, true);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
