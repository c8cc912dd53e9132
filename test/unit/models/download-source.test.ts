import { describe, expect, it } from 'vitest';
import {
  checkDownloadUri,
  checkRedirect,
  checkSha256,
  hfFileName,
  stagingKey,
} from '../../../extensions/models/download-source';

describe('download sources', () => {
  it.each([
    'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    'hf:ggml-org/Qwen2.5-Coder-1.5B-Q8_0-GGUF/qwen2.5-coder-1.5b-q8_0.gguf',
    'hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M',
    'http://127.0.0.1:8080/model.gguf',
    'http://localhost/model.gguf',
    'http://[::1]:9000/model.gguf',
  ])('accepts %s', (uri) => {
    expect(() => checkDownloadUri(uri)).not.toThrow();
  });

  it.each([
    'http://example.com/model.gguf',
    'http://192.168.1.10/model.gguf',
    'file:///etc/passwd',
    'ftp://host/model.gguf',
    'data:text/plain,hello',
    'model.gguf',
    'hf:',
    'hf:onlyuser',
  ])('refuses %s with the accepted forms', (uri) => {
    expect(() => checkDownloadUri(uri)).toThrow(/https:\/\/ URL|not a URL/);
  });

  it('checks sha256 values', () => {
    expect(checkSha256(undefined)).toBeUndefined();
    expect(checkSha256('AB'.repeat(32))).toBe('ab'.repeat(32));
    expect(() => checkSha256('abc')).toThrow(/64 hex digits/);
  });

  it('takes the plain file name from hf: file URIs only', () => {
    expect(hfFileName('hf:user/repo/sub/model-Q4.gguf#dev')).toBe('model-Q4.gguf');
    expect(hfFileName('hf:user/repo:Q4_K_M')).toBeUndefined();
    expect(hfFileName('https://host/x.gguf')).toBeUndefined();
  });

  it('gives one staging folder per source', () => {
    expect(stagingKey('https://a/x.gguf')).toBe(stagingKey('https://a/x.gguf'));
    expect(stagingKey('https://a/x.gguf')).not.toBe(stagingKey('https://a/y.gguf'));
    expect(stagingKey('https://a/x.gguf')).toMatch(/^[0-9a-f]{24}$/);
  });

  it.each([
    'hf:user/../../etc/passwd.gguf',
    'hf:user/repo/../secrets.gguf',
    'hf:../repo/model.gguf',
    'hf:user/repo/sub/..',
    'hf:user\\repo/model.gguf',
    'hf:user/repo/sub\\..\\model.gguf',
    'hf:user/repo/%2e%2e/model.gguf',
    'hf:user/repo/model.gguf?x=1',
    'hf:user/./repo/model.gguf',
    'hf:user/repo/model.gguf#..',
    'hf:user//repo/model.gguf',
    'hf:user/repo:Q4/../x',
  ])('refuses the hf: spec %s', (uri) => {
    expect(() => checkDownloadUri(uri)).toThrow(/hf:/);
  });

  it('checks every redirect hop against the same policy and refuses a downgrade to http', () => {
    expect(checkRedirect('https://huggingface.co/a.gguf', 'https://cdn-lfs.hf.co/a.gguf?X-Amz-Signature=s')).toBe(
      'https://cdn-lfs.hf.co/a.gguf?X-Amz-Signature=s',
    );
    expect(checkRedirect('http://127.0.0.1:1/a', 'http://localhost:2/b')).toBe('http://localhost:2/b');
    expect(checkRedirect('http://127.0.0.1:1/a', '/relative/b.gguf')).toBe('http://127.0.0.1:1/relative/b.gguf');
    for (const [from, to] of [
      ['https://huggingface.co/a.gguf', 'http://huggingface.co/a.gguf'],
      ['https://huggingface.co/a.gguf', 'http://127.0.0.1/a.gguf'],
      ['http://127.0.0.1:1/a', 'http://example.com/a.gguf'],
      ['https://huggingface.co/a.gguf', 'file:///etc/passwd'],
      ['https://huggingface.co/a.gguf', 'ftp://host/a'],
    ] as const) {
      expect(() => checkRedirect(from, to), to).toThrow(/redirected to .* which is refused/);
    }
  });
});
