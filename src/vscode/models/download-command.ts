import * as vscode from 'vscode';
import { errorMessage, redactUrl, type Model } from '@jan/core';
import {
  checkDownloadUri,
  DownloadCancelled,
  ESTIMATE_CONTEXT,
  formatBytes,
  isCancellation,
  type CatalogEntry,
  type DownloadOptions,
  type DownloadProgress,
} from '../../../extensions/models';
import { offerToUse, reportError, type ModelFeatures } from './model-actions';
import { catalogVerdict } from './fit-text';
import { catalogItemText } from './model-items';

interface DownloadPick extends vscode.QuickPickItem {
  entry?: CatalogEntry;
  custom?: true;
}

const ROLE_TITLES = { chat: 'Chat', completion: 'Code completion (fill-in-the-middle)' } as const;

async function pickSource(features: ModelFeatures): Promise<{ entry: CatalogEntry } | { uri: string } | undefined> {
  const installed = new Set((await features.models.listModels()).models.map((model) => model.id));
  // The machine's memory comes from the worker: the picker shows as busy until it is in.
  const items = (async () => {
    const machine = await features.llama?.machineStatus().catch((error: unknown) => {
      features.log.warn(`Could not read this machine's memory: ${errorMessage(error)}`);
      return undefined;
    });
    const picks: DownloadPick[] = [];
    for (const role of ['chat', 'completion'] as const) {
      picks.push({ label: ROLE_TITLES[role], kind: vscode.QuickPickItemKind.Separator });
      for (const entry of features.models.catalog().filter((candidate) => candidate.role === role)) {
        const verdict = machine && catalogVerdict(entry, machine);
        picks.push({ ...catalogItemText(entry, installed.has(entry.id), verdict), entry });
      }
    }
    picks.push({ label: 'Other', kind: vscode.QuickPickItemKind.Separator });
    picks.push({
      label: '$(link) Custom URL or hf: URI…',
      detail: 'An https:// URL of a .gguf file, or hf:user/repo/file.gguf',
      custom: true,
    });
    return picks;
  })();

  const picked = await vscode.window.showQuickPick(items, {
    title: 'Jan: Download Model',
    placeHolder: `Sizes are downloads; RAM is what the model needs to run (at a ${ESTIMATE_CONTEXT}-token context); Fits / May be slow / Won’t fit is for this machine now.`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (picked.entry) {
    if (installed.has(picked.entry.id)) {
      const model = await features.models.getModel(picked.entry.id);
      if (model) await offerToUse(features, model, picked.entry.role);
      return undefined;
    }
    return { entry: picked.entry };
  }
  const uri = await vscode.window.showInputBox({
    title: 'Jan: Download Model',
    prompt: 'URL of a GGUF file, or a Hugging Face URI',
    placeHolder: 'https://huggingface.co/…/model.gguf  or  hf:user/repo/model.gguf',
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (!value.trim()) return undefined;
      try {
        checkDownloadUri(value);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  return uri?.trim() ? { uri: uri.trim() } : undefined;
}

/** Turns absolute progress into the increments VS Code's notification expects; says when it retries or waits, and for how long. */
function progressReporter(
  report: vscode.Progress<{ message?: string; increment?: number }>,
): (progress: DownloadProgress) => void {
  let shown = 0;
  return ({ phase, downloadedBytes, totalBytes, retry, owner }) => {
    if (phase === 'verifying') {
      report.report({ message: 'Verifying the checksum…' });
      return;
    }
    if (phase === 'retrying' && retry) {
      report.report({
        message: `${retry.reason} Retry ${retry.attempt} of ${retry.attempts} in ${retry.secondsLeft} s…`,
      });
      return;
    }
    if (phase === 'waiting') {
      report.report({ message: `Waiting: ${owner ?? 'another VS Code window'} is downloading this model.` });
      return;
    }
    const percent = totalBytes > 0 ? Math.min(100, (downloadedBytes / totalBytes) * 100) : 0;
    const increment = Math.max(0, percent - shown);
    shown += increment;
    report.report({
      increment,
      message: `${formatBytes(downloadedBytes)} of ${totalBytes > 0 ? formatBytes(totalBytes) : '?'}`,
    });
  };
}

export async function downloadModelCommand(features: ModelFeatures): Promise<void> {
  const source = await pickSource(features);
  if (!source) return;
  // The query string (a token, a signature) is for the request only, never for the screen.
  const name = 'entry' in source ? source.entry.name : redactUrl(source.uri);
  const uri = 'entry' in source ? source.entry.uri : source.uri;
  let model: Model;
  try {
    model = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading ${name}`, cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        const options: DownloadOptions = { signal: controller.signal, onProgress: progressReporter(progress) };
        return 'entry' in source
          ? features.models.downloadCatalogModel(source.entry.id, options)
          : features.models.downloadModel({ uri: source.uri }, options);
      },
    );
  } catch (error) {
    if (!isCancellation(error)) return reportError(features, `Could not download ${name}`, error);
    const kept = error instanceof DownloadCancelled ? error.keptBytes : undefined;
    if (kept === 0) {
      void vscode.window.showInformationMessage(`Download of ${name} cancelled before anything arrived.`);
      return;
    }
    const discard = 'Discard Partial Download';
    const choice = await vscode.window.showInformationMessage(
      `Download of ${name} cancelled. ${kept ? formatBytes(kept) : 'What was downloaded'} is kept: downloading it again resumes.`,
      discard,
    );
    if (choice === discard)
      await features.models
        .discardDownload(uri)
        .catch((cause: unknown) => reportError(features, 'Could not discard the download', cause));
    return;
  }
  await offerToUse(features, model, 'entry' in source ? source.entry.role : undefined);
}
