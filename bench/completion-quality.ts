/**
 * Completion quality benchmark: `npm run bench -- completion-quality [--baseline=<git ref>] [--verbose]`.
 * Runs every golden case of test/fixtures/completion/ through this checkout's post-processing and
 * through the post-processing of the baseline ref (default `main`, built from `git archive` in the
 * same run), and prints one JSON line: the share of cases whose suggestion agrees with the expected
 * text (trailing whitespace trimmed), whose accepted document is the expected one, and how many
 * accepted suggestions leave a doubled closer. The baseline has no inline range: it inserts at the
 * cursor. It also streams each raw output to `completionStop` a few characters at a time and
 * counts the characters a generation stopped there would not have produced, and the cases where
 * stopping there changes the suggestion (must be 0). `--verbose` lists the cases that disagree on stderr.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { completionStop, coveredClosers, postprocessCompletion, type CompletionContext } from '@jan/core';
import { accept, goldenContext, goldenFiles, strayClosers, type GoldenCase } from '../test/support/completion-golden';

type Postprocess = (raw: string, context: CompletionContext) => string | undefined;
type Range = (text: string, context: CompletionContext) => number;

const args = process.argv.slice(2);
const baselineRef = args.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length) ?? 'main';
const verbose = args.includes('--verbose');

/** The baseline's `postprocessCompletion`, bundled from the ref's src/core/completion. */
async function baseline(ref: string): Promise<Postprocess> {
  const work = mkdtempSync(path.join(tmpdir(), 'jan-completion-baseline-'));
  try {
    const archive = execFileSync('git', ['archive', '--format=tar', ref, 'src/core/completion'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', work], { input: archive });
    const outfile = path.join(work, 'postprocess.mjs');
    await esbuild.build({
      entryPoints: [path.join(work, 'src/core/completion/postprocess.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'warning',
    });
    const module = (await import(pathToFileURL(outfile).href)) as { postprocessCompletion: Postprocess };
    return module.postprocessCompletion;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const trimTrailing = (text: string) => text.replace(/[ \t]+$/gm, '').trimEnd();

interface Score {
  agree: number;
  acceptedAgree: number;
  doubled: number;
}

function score(cases: GoldenCase[], run: Postprocess, range: Range, language?: string, label = ''): Score {
  const result: Score = { agree: 0, acceptedAgree: 0, doubled: 0 };
  for (const golden of cases) {
    const { context } = goldenContext(golden, language ?? golden.language);
    const text = run(golden.raw, context);
    const agrees =
      trimTrailing(text ?? '') === trimTrailing(golden.expected ?? '') &&
      (text === undefined) === (golden.expected === null);
    const expectedDocument =
      golden.expected === null
        ? golden.document.replace('║', '')
        : (golden.accepted ?? accept(golden, golden.expected, coveredClosers(golden.expected, context)));
    const acceptedDocument =
      text === undefined ? golden.document.replace('║', '') : accept(golden, text, range(text, context));
    if (agrees) result.agree++;
    else if (verbose && label)
      console.error(
        `${label} disagrees: ${golden.name}\n  expected ${JSON.stringify(golden.expected)}\n  got      ${JSON.stringify(text ?? null)}`,
      );
    if (trimTrailing(acceptedDocument) === trimTrailing(expectedDocument)) result.acceptedAgree++;
    else if (verbose && label)
      console.error(
        `${label} accepts differently: ${golden.name}\n  expected ${JSON.stringify(expectedDocument)}\n  got      ${JSON.stringify(acceptedDocument)}`,
      );
    if (strayClosers(acceptedDocument) > strayClosers(golden.document)) result.doubled++;
  }
  return result;
}

const files = goldenFiles();
const cases = files.flatMap((file) => file.cases);
const before = await baseline(baselineRef);
const current: Postprocess = (raw, context) => postprocessCompletion(raw, context);
const percent = (count: number) => Number(((100 * count) / cases.length).toFixed(1));
const beforeScore = score(cases, before, () => 0, undefined, 'before');
const afterScore = score(cases, current, coveredClosers, undefined, 'after');
const plaintextScore = score(cases, current, coveredClosers, 'plaintext', 'after (plaintext)');
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
const perRule = Object.fromEntries(
  files.map((file) => [
    file.rule,
    `${score(file.cases, before, () => 0).agree}→${score(file.cases, current, coveredClosers).agree}/${file.cases.length}`,
  ]),
);

console.log(
  JSON.stringify({
    bench: 'completion-quality',
    cases: cases.length,
    baseline: baselineRef,
    agreement_before_pct: percent(beforeScore.agree),
    agreement_after_pct: percent(afterScore.agree),
    agreement_after_plaintext_pct: percent(plaintextScore.agree),
    accepted_document_before_pct: percent(beforeScore.acceptedAgree),
    accepted_document_after_pct: percent(afterScore.acceptedAgree),
    doubled_closers_before: beforeScore.doubled,
    doubled_closers_after: afterScore.doubled,
    raw_characters: rawCharacters,
    characters_generated_with_early_stop: streamed,
    early_stop_generated_ratio: Number((streamed / rawCharacters).toFixed(2)),
    suggestions_changed_by_early_stop: changedByStop,
    per_rule_agreement: perRule,
  }),
);
