import * as vscode from 'vscode';
import { JAN_API_VERSION, JanApiError, type ApiCaller, type JanApi, type JanExtensionApi } from '@jan/core';
import type { JanRuntime } from '../../node/runtime';

/**
 * What `activate()` returns (docs/EXTENDING.md): `connect` gives an installed extension its own
 * handle on the public API, labelled with the name from its manifest. One handle per extension,
 * so what it registers and uses is counted once.
 */
export function janExtensionApi(runtime: JanRuntime): JanExtensionApi {
  const handles = new Map<string, JanApi>();
  return {
    version: JAN_API_VERSION,
    connect(extensionId: string): JanApi {
      if (typeof extensionId !== 'string' || !extensionId.includes('.'))
        throw new JanApiError('INVALID_ARGUMENT', 'connect: pass your extension id (publisher.name).');
      const extension = vscode.extensions.getExtension(extensionId);
      if (!extension)
        throw new JanApiError('INVALID_ARGUMENT', `connect: no installed extension has the id "${extensionId}".`);
      const id = extension.id.toLowerCase();
      let handle = handles.get(id);
      if (!handle) {
        handle = runtime.api(callerOf(extension));
        handles.set(id, handle);
      }
      return handle;
    },
  };
}

function callerOf(extension: vscode.Extension<unknown>): ApiCaller {
  const manifest = extension.packageJSON as { displayName?: unknown; name?: unknown };
  const name = [manifest.displayName, manifest.name].find((value) => typeof value === 'string' && value.trim());
  return {
    id: extension.id.toLowerCase(),
    displayName: (name as string | undefined) ?? extension.id,
    kind: 'extension',
  };
}
