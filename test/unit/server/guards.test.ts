import { describe, expect, it } from 'vitest';
import { generateApiKey, keyChecker } from '../../../src/node/server/auth';
import { hostChecker, hostName } from '../../../src/node/server/host-check';
import { ChatRequestSchema, parseBody } from '../../../src/node/server/schemas';
import { refuseUnsupported } from '../../../src/node/server/unsupported-fields';

describe('the Host check', () => {
  const check = hostChecker(['my-box.lan']);
  const refusal = expect.objectContaining({ status: 403, code: 'host_not_allowed' });

  it('accepts loopback names with or without a port, and the listed ones', () => {
    for (const host of [
      'localhost',
      'localhost:1337',
      '127.0.0.1:1337',
      '127.8.0.1',
      '[::1]:1337',
      '[::1]',
      'LOCALHOST',
      'my-box.lan:1337',
      '127.0.0.1:80',
    ])
      expect(() => check([host]), host).not.toThrow();
  });

  it('refuses any other name, a missing Host and look-alikes', () => {
    for (const host of [
      '',
      'evil.example',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'evil.localhost',
      '0.0.0.0:1337',
      '[::1',
      'my-box.lan.evil',
    ]) {
      expect(() => check([host]), host).toThrow(refusal);
    }
    expect(() => check([])).toThrow(refusal);
  });

  it('parses the Host by the URL rules: userinfo, a path, a query, a bad port or a non-canonical form is refused', () => {
    for (const host of [
      'localhost:1337@evil.com',
      'user@localhost',
      'localhost:secret@localhost',
      'localhost:evil.com',
      'localhost:99999',
      'localhost:-1',
      '127.0.0.1:1337/evil',
      'localhost\\evil',
      'localhost:1337?x=1',
      'localhost#frag',
      'local\thost',
      '%6cocalhost',
      '2130706433',
      '0x7f.0.0.1',
      'localhost:',
      'localhost.',
    ]) {
      expect(() => check([host]), host).toThrow(refusal);
    }
  });

  it('refuses two Host headers, even two of the same loopback name', () => {
    expect(() => check(['localhost:1337', 'evil.example'])).toThrow(refusal);
    expect(() => check(['evil.example', 'localhost:1337'])).toThrow(refusal);
    expect(() => check(['localhost', 'localhost'])).toThrow(refusal);
  });

  it('never echoes the user name or password of a refused Host', () => {
    let message = '';
    try {
      check(['admin:hunter2@localhost']);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/user name or password/);
    expect(message).not.toContain('hunter2');
  });

  it('reads the name out of a Host header', () => {
    expect(hostName('[::1]:8080')).toBe('::1');
    expect(hostName('Example.COM:80')).toBe('example.com');
    expect(hostName('[broken')).toBeUndefined();
    expect(hostName('localhost:1337@evil.com')).toBeUndefined();
    expect(hostName('127.0.0.1:1337/evil')).toBeUndefined();
  });
});

describe('the key check', () => {
  const key = generateApiKey();
  const check = keyChecker(key);

  it('accepts the key as a bearer token or x-api-key', () => {
    expect(() => check({ authorization: `Bearer ${key}` })).not.toThrow();
    expect(() => check({ authorization: `bearer   ${key}` })).not.toThrow();
    expect(() => check({ 'x-api-key': key })).not.toThrow();
  });

  it('refuses a missing, wrong, prefixed or partial key with 401, never echoing it', () => {
    for (const headers of [
      {},
      { authorization: 'Bearer nope' },
      { authorization: key },
      { authorization: `Bearer ${key.slice(0, -1)}` },
      { authorization: `Bearer ${key}x` },
    ]) {
      let error: unknown;
      try {
        check(headers);
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ status: 401 });
      expect((error as Error).message).not.toContain(key);
    }
  });

  it('makes a new long key each time', () => {
    expect(generateApiKey()).not.toBe(generateApiKey());
    expect(generateApiKey().length).toBeGreaterThan(40);
  });
});

describe('request bodies', () => {
  it('names the missing or wrong field', () => {
    expect(() => parseBody(ChatRequestSchema, { messages: [{ role: 'user', content: 'hi' }] })).toThrow(
      expect.objectContaining({ status: 400, param: 'model' }),
    );
    expect(() => parseBody(ChatRequestSchema, { model: 'm', messages: [{ role: 'robot', content: 'hi' }] })).toThrow(
      expect.objectContaining({ param: 'messages[0].role' }),
    );
    expect(() =>
      parseBody(ChatRequestSchema, { model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }),
    ).toThrow(expect.objectContaining({ param: 'max_tokens' }));
    expect(() => parseBody(ChatRequestSchema, 'text')).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('accepts fields set to their off value and refuses the ones in use', () => {
    expect(() =>
      refuseUnsupported({
        n: 1,
        functions: [],
        logprobs: false,
        function_call: 'none',
        user: 'x',
      }),
    ).not.toThrow();
    for (const body of [
      { n: 2 },
      { functions: [{}] },
      { function_call: { name: 'f' } },
      { logprobs: true },
      { logit_bias: { 1: 2 } },
      { echo: true },
    ]) {
      expect(() => refuseUnsupported(body)).toThrow(
        expect.objectContaining({ status: 400, param: Object.keys(body)[0] }),
      );
    }
  });
});
