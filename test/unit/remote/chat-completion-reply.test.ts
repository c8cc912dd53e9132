import { describe, expect, it } from 'vitest';
import { codeOfChatReply } from '../../../extensions/remote/fim';

// A chat model asked to continue code (remote chat-prefix mode) answers like in a chat: a fence,
// prose around it, the given code written again. The completion is the code that goes at the cursor.
describe('the code in a chat model’s answer to "continue the code"', () => {
  const prefix = 'function add(a: number, b: number) {\n  return ';

  it('takes the fenced block, leaving out the fence lines and the prose around them', () => {
    expect(codeOfChatReply('```typescript\na + b;\n```', prefix)).toBe('a + b;');
    expect(codeOfChatReply('Here is the rest:\n\n```ts\na + b;\n}\n```\nThis returns the sum.', prefix)).toBe(
      'a + b;\n}',
    );
    expect(codeOfChatReply('~~~\na + b;', prefix)).toBe('a + b;');
  });

  it('leaves out the end of the given code the answer writes again', () => {
    expect(codeOfChatReply('```ts\nreturn a + b;\n}\n```', prefix)).toBe(' a + b;\n}');
    expect(codeOfChatReply('function add(a: number, b: number) {\n  return a + b;\n}', prefix)).toBe(' a + b;\n}');
    const atLineStart = 'def area(w, h):\n    ';
    expect(codeOfChatReply('```python\ndef area(w, h):\n    return w * h\n```', atLineStart)).toBe('    return w * h');
  });

  it('keeps an answer that is only code as it is', () => {
    expect(codeOfChatReply('a + b;\n}', prefix)).toBe('a + b;\n}');
    expect(codeOfChatReply(' a + b;', prefix)).toBe(' a + b;');
    expect(codeOfChatReply('', prefix)).toBe('');
  });
});
