import { describe, expect, it } from 'vitest';
import { StopText } from '../../../extensions/llamacpp/worker/stop-text';

/** Feeds the pieces and returns what was passed on, and whether it stopped. */
function run(stops: string[], pieces: string[]): { text: string; stopped: boolean } {
  const stop = new StopText(stops);
  let text = '';
  for (const piece of pieces) text += stop.push(piece);
  text += stop.flush();
  return { text, stopped: stop.stopped };
}

describe('StopText', () => {
  it('keeps the text before a stop string to the character, whitespace included', () => {
    expect(run(['cat'], ['. The', ' cat', ' sat'])).toEqual({ text: '. The ', stopped: true });
  });

  it('finds a stop string split over pieces, and holds back only what may start one', () => {
    const stop = new StopText(['END']);
    expect(stop.push('abc E')).toBe('abc ');
    expect(stop.push('N')).toBe('');
    expect(stop.push('D more')).toBe('');
    expect(stop.stopped).toBe(true);
    expect(stop.flush()).toBe('');
  });

  it('lets held text go when it does not become a stop string, and at the end', () => {
    expect(run(['END'], ['abc E', 'Nd', ' x'])).toEqual({ text: 'abc ENd x', stopped: false });
    expect(run(['END'], ['abc EN'])).toEqual({ text: 'abc EN', stopped: false });
  });

  it('stops at the earliest of several stop strings, and ignores empty ones', () => {
    expect(run(['', 'b', 'a'], ['xxab'])).toEqual({ text: 'xx', stopped: true });
    expect(run([], ['any text'])).toEqual({ text: 'any text', stopped: false });
  });

  it('passes nothing after a stop', () => {
    const stop = new StopText(['\n']);
    expect(stop.push('line\nnext')).toBe('line');
    expect(stop.push('more')).toBe('');
  });
});
