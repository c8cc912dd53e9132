/**
 * The one folder-name rule, for every folder Jan names after an id: threads, assistants, models,
 * downloads and import renames. A `.jan` folder or a models folder made on Linux must open on
 * Windows and macOS: no name Windows cannot hold (device names whatever their case and whatever
 * follows the first dot, a trailing dot or space, reserved characters), and no two names that
 * differ only in case (those file systems keep one folder for both). New names are claimed under
 * a lock on their parent folder (`<parent>/.names.lock`), so two creations at once, in one
 * process or two, cannot both pass the check.
 */
import { StoreError } from './errors';

/** Names Windows keeps for devices in every folder, whatever the case and whatever follows the first dot (`con.txt` is CON). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
const WINDOWS_FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f]/g;

/** The lock a parent folder's new names are claimed under. */
export const NAMES_LOCK = '.names.lock';

/** A thread or assistant id: letters, digits, `_`, `-`, `.`, starting with a letter, digit or `_`. */
const SAFE_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const safeIdShape = (id: string) => SAFE_ID.test(id) && !id.endsWith('.lock') && !id.endsWith('.tmp');

/** Whether `id` may name a thread or assistant folder (what assertSafeId accepts). */
export const isSafeId = (id: string): boolean => safeIdShape(id) && windowsNameProblem(id) === undefined;

/**
 * Ids become folder names: no separators, no `..`, none of the store's own suffixes, and nothing
 * Windows cannot hold, on every platform, so a `.jan` folder made on Linux opens on Windows.
 */
export function assertSafeId(id: string, what: string): string {
  if (!safeIdShape(id)) {
    throw new StoreError(
      'INVALID_ID',
      `${what} id ${JSON.stringify(id)} is not a valid folder name (letters, digits, "_", "-", "."; up to 128).`,
    );
  }
  const problem = windowsNameProblem(id);
  if (problem) {
    throw new StoreError(
      'INVALID_ID',
      `${what} id ${JSON.stringify(id)} cannot be used: a folder named so cannot be opened on Windows (${problem}).`,
    );
  }
  return id;
}

/** Why Windows cannot hold `name` as a folder, or undefined. */
export function windowsNameProblem(name: string): string | undefined {
  if (/[. ]$/.test(name)) return 'Windows drops a trailing dot or space, so it names another folder there';
  if (new RegExp(WINDOWS_FORBIDDEN.source).test(name)) return 'it holds a character Windows forbids in names';
  const device = name.split('.')[0]!.trimEnd();
  if (WINDOWS_DEVICE.test(device)) return `"${device}" is a device name there`;
  return undefined;
}

/**
 * `name` changed as little as possible into one every platform holds: forbidden characters
 * become `-`, trailing dots and spaces go, a device name gets `_` after it (`con.gguf` →
 * `con_.gguf`, `lpt1.` → `lpt1_`).
 */
export function portableName(name: string): string {
  let out = name.replace(WINDOWS_FORBIDDEN, '-').replace(/[. ]+$/, '');
  const dot = out.indexOf('.');
  const stem = dot === -1 ? out : out.slice(0, dot);
  if (WINDOWS_DEVICE.test(stem.trimEnd())) out = `${stem.trimEnd()}_${dot === -1 ? '' : out.slice(dot)}`;
  return out || '_';
}

/** `base` made portable, then `base-2`, `base-3`, …: every candidate within `maxLength` and portable itself. */
export function* nameCandidates(base: string, maxLength = 128): Generator<string> {
  const first = portableName(base).slice(0, maxLength);
  yield portableName(first);
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    yield portableName(`${first.slice(0, maxLength - suffix.length)}${suffix}`);
  }
}

/** Another of `names` that is `name` but for case, or undefined. */
export function caseTwinOf(names: Iterable<string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const other of names) if (other !== name && other.toLowerCase() === lower) return other;
  return undefined;
}

/** Whether `name` is taken among `names`: itself, or a case twin of it. */
export function nameTaken(names: Iterable<string>, name: string): boolean {
  const lower = name.toLowerCase();
  for (const other of names) if (other.toLowerCase() === lower) return true;
  return false;
}
