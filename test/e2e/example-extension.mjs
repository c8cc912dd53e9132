// Example (a) of docs/EXTENDING.md, examples/demo-engine-extension, packaged the way its README
// says (vsce, no repository, no licence) into the run folder, so the UI run installs it beside Jan
// as a user would install a third party's .vsix.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import vsce from '@vscode/vsce';

export function demoExtensionFolder(projectRoot) {
  return path.join(projectRoot, 'examples', 'demo-engine-extension');
}

/** Packages the example into `runDir`; returns the .vsix, the folder and manifest it was built from. */
export async function packageDemoExtension(projectRoot, runDir) {
  const cwd = demoExtensionFolder(projectRoot);
  const manifest = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8'));
  const packagePath = path.join(runDir, `${manifest.name}-${manifest.version}.vsix`);
  // The example has no dependencies: nothing for vsce to ask npm about.
  await vsce.createVSIX({
    cwd,
    packagePath,
    allowMissingRepository: true,
    skipLicense: true,
    dependencies: false,
    useYarn: false,
  });
  return { vsix: packagePath, folder: cwd, manifest, id: `${manifest.publisher}.${manifest.name}` };
}
