import * as vscode from 'vscode';
import { formatBytes, readGgufHeader } from '../../../extensions/models';
import { offerToUse, reportError, type ModelFeatures } from './model-actions';

interface ModePick extends vscode.QuickPickItem {
  mode: 'reference' | 'copy';
}

export async function importModelCommand(features: ModelFeatures): Promise<void> {
  const files = await vscode.window.showOpenDialog({
    title: 'Jan: Import Model File',
    openLabel: 'Import',
    canSelectMany: false,
    filters: { 'GGUF models': ['gguf'], 'All files': ['*'] },
  });
  const file = files?.[0];
  if (!file) return;
  let size: number;
  try {
    size = (await readGgufHeader(file.fsPath)).fileSize;
  } catch (error) {
    return reportError(features, 'Cannot import this file', error);
  }

  const modes: ModePick[] = [
    {
      label: '$(file-symlink-file) Use the file where it is',
      detail:
        'Nothing is copied. Keep the file there: moving or deleting it breaks the model. Deleting the model keeps the file.',
      mode: 'reference',
    },
    {
      label: '$(files) Copy it into the models folder',
      detail: `Copies ${formatBytes(size)} to ${features.models.modelsFolder}.`,
      mode: 'copy',
    },
  ];
  const picked = await vscode.window.showQuickPick(modes, { title: `Import ${file.fsPath}` });
  if (!picked) return;

  try {
    const model = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Importing ${file.fsPath}`,
        cancellable: picked.mode === 'copy',
      },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        return features.models.importModel(file.fsPath, {
          mode: picked.mode,
          signal: controller.signal,
          onProgress: (copied, total) => {
            const percent = total > 0 ? (copied / total) * 100 : 0;
            progress.report({ increment: percent - shown, message: `${formatBytes(copied)} of ${formatBytes(total)}` });
            shown = percent;
          },
        });
      },
    );
    await offerToUse(features, model);
  } catch (error) {
    reportError(features, 'Could not import the model', error);
  }
}
