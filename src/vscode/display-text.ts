/**
 * Text from a workspace or a model file (a model id in a setting, a model's name from its
 * model.json or GGUF header) shown where VS Code renders `$(icon)` syntax: the status bar and
 * quick picks. It is data: its codicons are escaped (so `$(check) verified` cannot pose as our
 * own icon), `[text](link)` is broken apart (notifications render it as a link, `command:` ones
 * included), control and text-direction characters are dropped (no fake line breaks, no reversed
 * text: the Arabic letter mark U+061C is one too), whitespace is collapsed and the length is
 * bounded in whole characters as a reader sees them (an emoji, a flag, a letter with its accents
 * is never cut in half). The zero-width joiner stays: joined emoji need it.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const INVISIBLE = /[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;
/** Made on first use: building a segmenter loads ICU's break data (~15 ms), too much for activation. */
let graphemes: Intl.Segmenter | undefined;
/** A codicon reference not already escaped, the way VS Code's label renderer finds them. */
const CODICON = /(\\)?\$\(/g;

export function displayText(value: string, maxLength = 60): string {
  const plain = value.replace(CONTROL, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const characters = Array.from(graphemes.segment(plain), (part) => part.segment);
  const short = characters.length > maxLength ? `${characters.slice(0, maxLength - 1).join('')}…` : plain;
  return short
    .replace(CODICON, (match, escaped: string | undefined) => (escaped ? match : '\\$('))
    .replace(/\]\(/g, '] (');
}
