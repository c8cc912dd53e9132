import { describe, expect, it } from 'vitest';
import { applyEdits, EditError } from '../../../extensions/workspace-tools';

const source = [
  'export function total(items) {',
  '  let sum = 0;',
  '  for (const item of items) {',
  '    sum += item.price;',
  '  }',
  '  return sum;',
  '}',
  '',
].join('\n');

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EditError);
    return (error as Error).message;
  }
  return expect.fail('the edit was applied');
}

describe('tolerant search/replace', () => {
  it('replaces text found exactly once, as given', () => {
    const { text, ranges } = applyEdits(
      source,
      [{ search: 'sum += item.price;', replace: 'sum += item.price * item.qty;' }],
      'a.js',
    );
    expect(text).toContain('    sum += item.price * item.qty;\n');
    expect(ranges).toEqual([{ line: 4, lines: 1 }]);
  });

  it('finds lines written with other indentation and re-indents the replacement to where it lands', () => {
    const search = 'for (const item of items) {\n  sum += item.price;\n}';
    const replace = 'for (const item of items) {\n  if (item.skip) continue;\n  sum += item.price;\n}';
    const { text } = applyEdits(source, [{ search, replace }], 'a.js');
    expect(text).toBe(
      [
        'export function total(items) {',
        '  let sum = 0;',
        '  for (const item of items) {',
        '    if (item.skip) continue;',
        '    sum += item.price;',
        '  }',
        '  return sum;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('ignores trailing blanks, doubled spaces and blank lines the model added around the search', () => {
    const search = '\n  let  sum = 0;   \n\n';
    const { text } = applyEdits(source, [{ search, replace: '  let sum = 1;' }], 'a.js');
    expect(text).toContain('  let sum = 1;\n  for');
  });

  it('keeps tabs in a tab-indented file', () => {
    const tabbed = 'def f():\n\tif x:\n\t\treturn 1\n\treturn 2\n';
    const { text } = applyEdits(
      tabbed,
      [{ search: 'if x:\n    return 1', replace: 'if x:\n    log()\n    return 1' }],
      'f.py',
    );
    expect(text).toBe('def f():\n\tif x:\n\t\tlog()\n\t\treturn 1\n\treturn 2\n');
  });

  it('re-indents only the lines after the first when the match starts inside a line', () => {
    const code = 'const config = {\n    port: 1,\n};\n';
    const { text } = applyEdits(
      code,
      [{ search: 'config = {\n  port: 1,\n}', replace: 'config = {\n  port: 2,\n  host: "a",\n}' }],
      'c.ts',
    );
    expect(text).toBe('const config = {\n    port: 2,\n    host: "a",\n};\n');
  });

  it('keeps \\r\\n line endings in a CRLF file whatever the edit uses', () => {
    const crlf = 'a\r\nb\r\nc\r\n';
    const { text } = applyEdits(crlf, [{ search: 'b\nc', replace: 'B\nC\nD' }], 'x.txt');
    expect(text).toBe('a\r\nB\r\nC\r\nD\r\n');
  });

  it('applies several edits in order, each to the result of the ones before', () => {
    const { text, ranges } = applyEdits(
      source,
      [
        { search: 'total(items)', replace: 'total(items, rate)' },
        { search: 'return sum;', replace: 'return sum * rate;' },
      ],
      'a.js',
    );
    expect(text).toContain('export function total(items, rate) {');
    expect(text).toContain('  return sum * rate;');
    expect(ranges.map((range) => range.line)).toEqual([1, 6]);
  });

  it('refuses text that matches twice, naming it and the lines, and changes nothing', () => {
    const twice = 'x = 1\ny = 2\nx = 1\n';
    const message = failure(() => applyEdits(twice, [{ search: 'x = 1', replace: 'x = 3' }], 'v.py'));
    expect(message).toContain('"x = 1"');
    expect(message).toContain('matches 2 places in v.py (lines 1, 3)');
  });

  it('counts a whitespace-tolerant double match as a double match too', () => {
    const message = failure(() =>
      applyEdits('  a(1)\nb\n    a( 1 )\n', [{ search: 'a(1 )', replace: 'a(2)' }], 'w.js'),
    );
    expect(message).toContain('matches 2 places');
  });

  it('refuses text found nowhere, quoting it and the closest line, and says which edit of several failed', () => {
    const message = failure(() =>
      applyEdits(
        source,
        [
          { search: 'let sum = 0;', replace: 'let sum = 1;' },
          { search: 'sum += item.cost;', replace: 'sum += 1;' },
        ],
        'a.js',
      ),
    );
    expect(message).toContain('Edit 2 of 2');
    expect(message).toContain('"sum += item.cost;" was not found in a.js');
    expect(message).toContain('closest line is 4: "sum += item.price;"');
  });

  it('refuses an empty search in a file with text, and edits that change nothing', () => {
    expect(failure(() => applyEdits(source, [{ search: '  ', replace: 'x' }], 'a.js'))).toContain(
      'search text is empty',
    );
    expect(failure(() => applyEdits(source, [{ search: 'return sum;', replace: 'return sum;' }], 'a.js'))).toContain(
      'unchanged',
    );
  });

  it('fills an empty file from an empty search', () => {
    expect(applyEdits('', [{ search: '', replace: 'hello\n' }], 'new.txt').text).toBe('hello\n');
  });
});
