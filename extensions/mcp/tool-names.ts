/**
 * The names MCP tools get in the registry: `<server>_<tool>`, so a server's `read_file` does not
 * collide with the built-in one and the model sees where a tool comes from; reduced to what
 * OpenAI's function names allow (`^[A-Za-z0-9_-]{1,64}$`), with a short hash when cut or taken.
 */
import { createHash } from 'node:crypto';

const MAX = 64;

const clean = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 6);

/** A registry name for `tool` of `server` not in `taken`. */
export function registryName(server: string, tool: string, taken: (name: string) => boolean): string {
  const base = `${clean(server) || 'mcp'}_${clean(tool) || 'tool'}`;
  let name = base.length <= MAX ? base : `${base.slice(0, MAX - 7)}_${shortHash(`${server}\0${tool}`)}`;
  for (let attempt = 2; taken(name); attempt += 1) {
    const suffix = `_${shortHash(`${server}\0${tool}\0${attempt}`)}`;
    name = `${base.slice(0, MAX - suffix.length)}${suffix}`;
  }
  return name;
}
