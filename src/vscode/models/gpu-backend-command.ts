import * as vscode from 'vscode';
import { BackendInstaller } from '../../../extensions/llamacpp/backends/install';
import { BackendDownloadCancelled } from '../../../extensions/llamacpp/backends/download';
import { DEFAULT_REGISTRY } from '../../../extensions/llamacpp/backends/registry';
import { formatBytes } from '../../../extensions/models';
import { reportError, type ModelFeatures } from './model-actions';

/** The registry the CUDA backend comes from: npm's, or a mirror the user set (never a workspace's: it is restricted). */
function registry(): string {
  return vscode.workspace.getConfiguration('jan.engine').get<string>('backendRegistry')?.trim() || DEFAULT_REGISTRY;
}

/**
 * Jan: Download CUDA Backend: node-llama-cpp's prebuilt CUDA packages from the npm registry into
 * global storage, the size shown before asking, with progress and cancel (a cancelled download
 * is kept and resumes), checked against the registry's sha512; then llama.cpp restarts on it.
 */
export async function downloadCudaBackendCommand(features: ModelFeatures): Promise<void> {
  const llama = features.llama;
  if (!llama?.backendsFolder) return;
  try {
    const info = llama.backendInfo() ?? (await llama.machineStatus().then(() => llama.backendInfo()));
    if (!info) return;
    if (info.cuda.packages.length === 0) {
      void vscode.window.showInformationMessage(
        'Jan: the CUDA backend exists for Linux and Windows on x64 only. On this machine llama.cpp uses Metal, Vulkan or the CPU.',
      );
      return;
    }
    const installer = new BackendInstaller(llama.backendsFolder, registry());
    if (await installer.installed(info.cuda.packages, info.version)) {
      void vscode.window.showInformationMessage(
        'Jan: the CUDA backend is already downloaded. jan.engine.gpu "auto" or "cuda" uses it when an NVIDIA GPU with the CUDA runtime is found.',
      );
      return;
    }
    const plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Jan: asking the package registry about the CUDA backend' },
      () => installer.plan(info.cuda.packages, info.version),
    );
    const download = 'Download';
    const choice = await vscode.window.showInformationMessage(
      `Download llama.cpp's CUDA backend (${formatBytes(plan.totalBytes)})?`,
      {
        modal: true,
        detail:
          `It runs models on an NVIDIA GPU (it needs the NVIDIA driver and the CUDA 12 runtime). node-llama-cpp ${info.version}'s ` +
          `packages ${info.cuda.packages.join(', ')} from ${new URL(registry()).host}, checked against the registry's sha512, into this extension's storage.`,
      },
      download,
    );
    if (choice !== download || !(await install(installer, plan))) return;
    await llama.restartWorker('the CUDA backend was installed');
    void vscode.window.showInformationMessage(
      'Jan: the CUDA backend is installed. llama.cpp starts on it with the next request (jan.engine.gpu "auto" or "cuda").',
    );
  } catch (error) {
    reportError(features, 'Could not download the CUDA backend', error);
  }
}

/** Downloads with a cancellable notification; false when cancelled (what arrived is kept). */
async function install(
  installer: BackendInstaller,
  plan: Awaited<ReturnType<BackendInstaller['plan']>>,
): Promise<boolean> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Jan: downloading the CUDA backend', cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        return installer.install(plan, {
          signal: controller.signal,
          onProgress: ({ receivedBytes, totalBytes }) => {
            const percent = totalBytes > 0 ? (receivedBytes / totalBytes) * 100 : 0;
            progress.report({
              increment: Math.max(0, percent - shown),
              message: `${formatBytes(receivedBytes)} of ${formatBytes(totalBytes)}`,
            });
            shown = Math.max(shown, percent);
          },
        });
      },
    );
    return true;
  } catch (error) {
    if (!(error instanceof BackendDownloadCancelled)) throw error;
    void vscode.window.showInformationMessage(
      `Jan: download of the CUDA backend cancelled. ${formatBytes(error.keptBytes)} is kept: downloading it again resumes.`,
    );
    return false;
  }
}
