/** Never listed or searched: git's own data and Jan's threads (exclusions.ts applies them). */
export const ALWAYS_EXCLUDED = ['.git', '.jan'];
/** Excluded when the host gives no globs of its own (the CLI, tests). */
export const DEFAULT_EXCLUDES = ['**/node_modules', '**/.git', '**/.jan'];
/** A `.gitignore` bigger than this is not a real one: ignored (and said in the log). */
export const MAX_GITIGNORE_BYTES = 1024 * 1024;
