/**
 * Completion quality benchmark: `npm run bench -- completion-quality [--baseline=<git ref>] [--verbose]`.
 * Runs every golden case of test/fixtures/completion/ through this checkout and through the
 * baseline ref (default `main`, its src/core built from `git archive` in the same run), and prints
 * one JSON line. Each side is judged two ways:
 * - post-processing alone: the share of cases whose suggestion agrees with the expected text
 *   (trailing whitespace trimmed) and whose document after Tab is the expected one;
 * - the real request path (`InlineCompletionService.request` + `complete` over an engine that
 *   replays the recorded output, honouring the request's stop strings and early stop): the same
 *   two shares, and of the replace-range cases (the expected suggestion covers characters after the
 *   cursor) that agree in post-processing, how many agree end to end.
 * `broken_after_accept` counts cases whose document after Tab has a closer that closes nothing,
 * a `;` / `,` doubled with the one after the cursor, or a block ended before its code (must be 0).
 * The baseline before inline ranges inserts at the cursor. It also streams each raw output to
 * `completionStop` a few characters at a time and counts the characters a generation stopped there
 * would not have produced, and the cases where stopping there changes the suggestion (must be 0).
 * `--verbose` lists the cases that disagree on stderr.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import * as jan from '@jan/core';
import { completionStop, postprocessCompletion, type CompletionContext } from '@jan/core';
import {
  accept,
  acceptanceProblems,
  CURSOR,
  goldenContext,
  goldenFiles,
  type GoldenCase,
} from '../test/support/completion-golden';
import { requestPath, type RequestPathCore } from '../test/support/completion-request-path';

type Core = RequestPathCore & {
  postprocessCompletion: (raw: string, context: CompletionContext) => string | undefined;
};

const args = process.argv.slice(2);
const baselineRef = args.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length) ?? 'main';
const verbose = args.includes('--verbose');

/** The baseline's core, bundled from the ref's src/core. */
async function baseline(ref: string): Promise<Core> {
  const work = mkdtempSync(path.join(tmpdir(), 'jan-completion-baseline-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', ref, 'src/core'], { maxBuffer: 64 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', work], { input: archive });
    const outfile = path.join(work, 'core.mjs');
    await esbuild.build({
      entryPoints: [path.join(work, 'src/core/index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      // The core's own dependencies (valibot, proper-lockfile) come from this checkout.
      nodePaths: [path.join(process.cwd(), 'node_modules')],
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'warning',
    });
    return (await import(pathToFileURL(outfile).href)) as Core;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const trimTrailing = (text: string) => text.replace(/[ \t]+$/gm, '').trimEnd();

interface Judged {
  agrees: boolean;
  acceptedAgrees: boolean;
  broken: boolean;
  replaceRange: boolean;
}

/** A suggestion (and the characters its item replaces) against the case's expected text and document after Tab. */
function judge(golden: GoldenCase, text: string | undefined, replaced: number, label: string): Judged {
  const { context } = goldenContext(golden);
  const expectedDocument = golden.accepted ?? golden.document.replace(CURSOR, '');
  const document = text === undefined ? golden.document.replace(CURSOR, '') : accept(golden, text, replaced);
  const agrees =
    trimTrailing(text ?? '') === trimTrailing(golden.expected ?? '') &&
    (text === undefined) === (golden.expected === null);
  const acceptedAgrees = trimTrailing(document) === trimTrailing(expectedDocument);
  if (verbose && !acceptedAgrees)
    console.error(
      `${label} accepts differently: ${golden.name}\n  expected ${JSON.stringify(expectedDocument)}\n  got      ${JSON.stringify(document)}`,
    );
  return {
    agrees,
    acceptedAgrees,
    broken: text !== undefined && acceptanceProblems(golden, text, replaced).length > 0,
    replaceRange: golden.expected !== null && jan.coveredClosers(golden.expected, context) > 0,
  };
}

async function score(cases: GoldenCase[], core: Core, label: string) {
  const range = core.coveredClosers ?? (() => 0);
  const alone = cases.map((golden) => {
    const { context } = goldenContext(golden);
    const text = core.postprocessCompletion(golden.raw, context);
    return judge(golden, text, text === undefined ? 0 : range(text, context), label);
  });
  const path = requestPath({}, core);
  const endToEnd: Judged[] = [];
  for (const golden of cases) {
    const { text, replaced } = await path.suggest(golden);
    endToEnd.push(judge(golden, text, replaced, `${label} (request path)`));
  }
  const percent = (judged: Judged[], pick: (entry: Judged) => boolean) =>
    Number(((100 * judged.filter(pick).length) / cases.length).toFixed(1));
  const replaceRange = alone.flatMap((entry, index) => (entry.replaceRange && entry.agrees ? [index] : []));
  return {
    text: percent(alone, (entry) => entry.agrees),
    accepted: percent(alone, (entry) => entry.acceptedAgrees),
    broken: alone.filter((entry) => entry.broken).length,
    requestText: percent(endToEnd, (entry) => entry.agrees),
    requestAccepted: percent(endToEnd, (entry) => entry.acceptedAgrees),
    requestBroken: endToEnd.filter((entry) => entry.broken).length,
    replaceRange: `${replaceRange.filter((index) => endToEnd[index]!.agrees).length} of ${replaceRange.length}`,
  };
}

const files = goldenFiles();
const cases = files.flatMap((file) => file.cases);
const before = await baseline(baselineRef);
const current: Core = { ...jan, postprocessCompletion: (raw, context) => postprocessCompletion(raw, context) };
const beforeScore = await score(cases, before, 'before');
const afterScore = await score(cases, current, 'after');
let streamed = 0;
let changedByStop = 0;
for (const golden of cases) {
  const { context } = goldenContext(golden);
  let stop = golden.raw.length;
  for (let length = 3; length < golden.raw.length + 3; length += 3) {
    const at = completionStop(golden.raw.slice(0, length), context);
    if (at !== undefined) {
      stop = at;
      break;
    }
  }
  streamed += Math.min(stop + 3, golden.raw.length);
  if (postprocessCompletion(golden.raw.slice(0, stop), context) !== postprocessCompletion(golden.raw, context))
    changedByStop++;
}
const rawCharacters = cases.reduce((sum, golden) => sum + golden.raw.length, 0);
const agreeing = (file: { cases: GoldenCase[] }, core: Core) =>
  file.cases.filter((golden) => {
    const { context } = goldenContext(golden);
    const text = core.postprocessCompletion(golden.raw, context);
    const document =
      text === undefined
        ? golden.document.replace(CURSOR, '')
        : accept(golden, text, (core.coveredClosers ?? (() => 0))(text, context));
    return trimTrailing(document) === trimTrailing(golden.accepted ?? '');
  }).length;
const perRule = Object.fromEntries(
  files.map((file) => [file.rule, `${agreeing(file, before)}→${agreeing(file, current)}/${file.cases.length}`]),
);

console.log(
  JSON.stringify({
    bench: 'completion-quality',
    cases: cases.length,
    baseline: baselineRef,
    text_agreement_before_pct: beforeScore.text,
    text_agreement_after_pct: afterScore.text,
    accepted_document_before_pct: beforeScore.accepted,
    accepted_document_after_pct: afterScore.accepted,
    broken_after_accept_before: beforeScore.broken,
    broken_after_accept: afterScore.broken,
    request_path_text_agreement_before_pct: beforeScore.requestText,
    request_path_text_agreement_after_pct: afterScore.requestText,
    request_path_accepted_document_before_pct: beforeScore.requestAccepted,
    request_path_accepted_document_after_pct: afterScore.requestAccepted,
    request_path_broken_after_accept_before: beforeScore.requestBroken,
    request_path_broken_after_accept: afterScore.requestBroken,
    replace_range_end_to_end_before: beforeScore.replaceRange,
    replace_range_end_to_end_after: afterScore.replaceRange,
    raw_characters: rawCharacters,
    characters_generated_with_early_stop: streamed,
    early_stop_generated_ratio: Number((streamed / rawCharacters).toFixed(2)),
    suggestions_changed_by_early_stop: changedByStop,
    per_rule_accepted_document: perRule,
  }),
);
