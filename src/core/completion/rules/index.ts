// The post-processing rules of inline completion, each a pure function of the completion and the
// document context, shared by `postprocessCompletion` and by whatever stops a generation early
// (`completionStop`).
export { coveredClosers, closeLeftOpenBlock, multiLineAllowed } from './auto-closed';
export { cutStrayCloser, suffixDuplicateStart, trimLineSuffixOverlap } from './duplicate-closers';
export { completionStop, keptLines, requestStop, DEFAULT_MAX_LINES } from './early-stop';
export { fencedCode } from './fences';
export { normalizeIndentation } from './indentation';
export { repeatsItself, repetitionLineCount } from './repetition';
export { scopeEnd, type ScopeEnd } from './scope';
export { isTooSmall, DEFAULT_MIN_CHARS } from './tiny';
export { fixWhitespace, leadingBlankLength } from './whitespace';
