import { describe, expect, it } from 'vitest';
import { JanCore, REDACTED, redactText, redactUrl, type Logger } from '@jan/core';
import { seededRandom } from '../../support/seeded-random';

describe('redactUrl: scheme, host and path only, for every scheme', () => {
  it.each([
    ['https://host/m.gguf?token=SECRET&X-Amz-Signature=SECRET#SECRET', 'https://host/m.gguf'],
    ['https://user:SECRET@host:8443/m.gguf', 'https://host:8443/m.gguf'],
    ['ftp://user:SECRET@files.example/models/m.gguf', 'ftp://files.example/models/m.gguf'],
    ['sftp://user:SECRET@box/m.gguf?x=SECRET', 'sftp://box/m.gguf'],
    ['s3://AKIASECRET:SECRET@bucket/key', 's3://bucket/key'],
    ['ws://user:SECRET@127.0.0.1:9/socket', 'ws://127.0.0.1:9/socket'],
    ['file:///etc/passwd', 'file:///etc/passwd'],
    // Typed without a scheme, `user:` parses as one.
    ['user:SECRET@host/m.gguf', 'host/m.gguf'],
    ['hf:user/repo/m.gguf', 'hf:user/repo/m.gguf'],
    ['hf:user/repo/m.gguf#dev', 'hf:user/repo/m.gguf#dev'],
    ['hf:user/repo/m.gguf?token=SECRET', 'hf:user/repo/m.gguf'],
    ['hf:user/repo:Q4_K_M?token=SECRET#main', 'hf:user/repo:Q4_K_M#main'],
  ])('%s → %s', (input, shown) => {
    expect(redactUrl(input)).toBe(shown);
  });

  it.each([
    // A port out of range, a space in the host, a broken IPv6 literal: none of these parse.
    ['ftp://user:SECRET@host:99999/m.gguf', 'ftp://host:99999/m.gguf'],
    ['https://user:SECRET@exa mple.com/m.gguf', 'https://exa mple.com/m.gguf'],
    ['http://user:SECRET@[::1/m.gguf?t=SECRET', 'http://[::1/m.gguf'],
    ['https://user:SECRET@host:99999/m.gguf', 'https://host:99999/m.gguf'],
    ['https://user:SECRET/m.gguf', `https://${REDACTED}/m.gguf`],
    ['not a url?token=SECRET', 'not a url'],
  ])('%s does not parse and still loses its secrets: %s', (input, shown) => {
    expect(redactUrl(input)).toBe(shown);
  });

  it('keeps a plain host:port authority that does not parse', () => {
    expect(redactUrl('https://host:99999/m.gguf')).toBe('https://host:99999/m.gguf');
  });
});

describe('redactText: every URL and secret inside a text', () => {
  it('redacts each URL a library quotes, any scheme, keeping the sentence around it', () => {
    expect(redactText('GET https://a.b/c?sig=SECRET failed; then http://127.0.0.1:9/x?token=SECRET.')).toBe(
      'GET https://a.b/c failed; then http://127.0.0.1:9/x.',
    );
    expect(redactText('redirected to "ftp://user:SECRET@mirror.example/m.gguf", refused')).toBe(
      'redirected to "ftp://mirror.example/m.gguf", refused',
    );
    expect(redactText('"hf:user/repo/m.gguf?token=SECRET" is not a valid hf: URI')).toBe(
      '"hf:user/repo/m.gguf" is not a valid hf: URI',
    );
    expect(redactText('bad port in ftp://user:SECRET@host:99999/x (ERR_INVALID_URL)')).toBe(
      'bad port in ftp://host:99999/x (ERR_INVALID_URL)',
    );
  });

  it('redacts paths with a query, protocol-relative credentials, auth headers and secret parameters', () => {
    expect(redactText('request to /api/models/x?token=SECRET failed')).toBe('request to /api/models/x failed');
    expect(redactText('Location: //user:SECRET@evil.example/x')).toBe('Location: //evil.example/x');
    expect(redactText('Authorization: Bearer SECRET, Basic SECRET')).toBe(
      `Authorization: Bearer ${REDACTED}, Basic ${REDACTED}`,
    );
    expect(redactText('body was password=SECRET&api_key=SECRET&model=m')).toBe(
      `body was password=${REDACTED}&api_key=${REDACTED}&model=m`,
    );
  });

  it('replaces the secrets it is given wherever they appear', () => {
    expect(redactText('bad key sk-abc123456 (Authorization: Bearer other-token)', ['sk-abc123456'])).toBe(
      `bad key ${REDACTED} (Authorization: Bearer ${REDACTED})`,
    );
    expect(redactText('key abc', ['abc', undefined])).toBe('key abc');
  });

  it('leaves text without secrets as it was', () => {
    const plain = 'GPU box (gpu-box:8000) refused the connection. Is the server running on http://127.0.0.1:8080/v1?';
    expect(redactText(plain)).toBe(plain.replace('/v1?', '/v1'));
    expect(redactText('Download finished: https://host/m.gguf, 12 bytes')).toBe(
      'Download finished: https://host/m.gguf, 12 bytes',
    );
  });

  it('never lets a generated credential or query through, whatever the scheme or shape', () => {
    const random = seededRandom('redactText');
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const word = () => Math.floor(random() * 2 ** 32).toString(36);
    for (let round = 0; round < 500; round++) {
      const secret = `S3CR3T${word()}`;
      const scheme = pick(['http', 'https', 'ftp', 'sftp', 'ws', 's3', 'git+ssh', 'custom']);
      const host = pick(['host.example', '127.0.0.1', '[::1]', 'exa mple', 'host:99999', 'host:port']);
      const userinfo = pick([`user:${secret}@`, `${secret}@`, `u:s:${secret}@`, `:${secret}@`]);
      const query = pick([`?token=${secret}`, `?a=1&sig=${secret}`, `#${secret}`, '']);
      const url = `${scheme}://${userinfo}${host}/p/m.gguf${query}`;
      const text = `${pick(['Failed: ', 'GET ', '"', '('])}${url}${pick(['', '.', '"', ')', ' failed'])}`;
      expect(redactText(text), text).not.toContain(secret);
      expect(redactUrl(url), url).not.toContain(secret);
    }
  });
});

describe('the core logger', () => {
  it('redacts every line an extension logs, and the message and stack of an Error', () => {
    const lines: string[] = [];
    const text = (value: unknown) => (value instanceof Error ? `${value.message} | ${value.stack}` : String(value));
    const record = (message: unknown, ...args: unknown[]) => void lines.push([message, ...args].map(text).join(' '));
    const inner: Logger = { debug: record, info: record, warn: record, error: record };
    const logger = new JanCore({ janFolder: '/nowhere/.jan', modelsFolder: '/nowhere/models', logger: inner }).context
      .logger;
    logger.debug('[download] GET https://cdn.example/m.gguf?X-Amz-Signature=SECRET');
    logger.info('source hf:user/repo/m.gguf?token=SECRET');
    logger.warn('redirect to ftp://user:SECRET@mirror.example/m.gguf', 'and //user:SECRET@host/x');
    logger.error(new Error('Authorization: Bearer SECRET'));
    logger.error('failed', new Error('https://user:SECRET@host/'));
    expect(lines).toHaveLength(5);
    expect(lines.join('\n')).not.toContain('SECRET');
    expect(lines[0]).toBe('[download] GET https://cdn.example/m.gguf');
    expect(lines[4]).toMatch(/^failed https:\/\/host\/ \| Error: https:\/\/host\//);
  });
});
