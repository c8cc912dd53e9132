/**
 * The download child's only way onto the network. node-llama-cpp's downloader (ipull) calls the
 * global `fetch`, follows redirects by itself, has no byte limit and retries every failure about
 * 150 times over ~12 minutes; it exposes none of that as options. main.ts installs this guard as
 * the child's global `fetch`, so every request it makes, and every redirect hop, passes here:
 *
 * - each hop is checked against the same URL policy as the first URL (download-source.ts);
 * - before the transfer has started, any failure (DNS, refused, TLS, an HTTP error) ends the
 *   download at once with a message naming the cause;
 * - in the middle of the transfer, a transient failure (connection cut, reset, timeout, 5xx, 429)
 *   is retried here, resuming the body from the byte where it stopped, with a countdown the user
 *   sees; ipull never sees the failure;
 * - body bytes are counted after decoding: no response yields more than the length it declared
 *   (a gzip body that inflates past it is stopped), and all of them together no more than the
 *   free space the parent measured before starting. Every request asks for the bytes as they are
 *   (`Accept-Encoding: identity`): a model does not compress, and a byte range of a compressed
 *   transfer could not resume.
 */
import { redactUrl } from '@jan/core';
import { checkDownloadUri, checkRedirect } from '../download-source';
import { ModelError } from '../errors';
import { formatBytes } from '../format-size';
import type { DownloadFailureCode } from './protocol';

const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Bodies read before the go-ahead (the Hugging Face API's JSON) stay small. */
const BYTES_BEFORE_GO_AHEAD = 16 * 1024 * 1024;
/** Bytes that must arrive after a retry before the retry budget starts over. */
const PROGRESS_RESETS_RETRIES = 1024 * 1024;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);
const TLS_CODE = /^(ERR_TLS|ERR_SSL|ERR_OSSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|EPROTO$)/;

export interface RetryNotice {
  attempt: number;
  attempts: number;
  secondsLeft: number;
  reason: string;
}

/** A failure that ends the download; its message names the cause and holds no query string. */
export class DownloadFailure extends Error {
  constructor(
    readonly code: DownloadFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadFailure';
  }
}

/** No headers, or no body bytes, for the stall timeout: a silent server or a connection lost without a reset. */
class StallError extends Error {
  constructor(url: string, ms: number) {
    super(`${new URL(url).host} sent nothing for ${Math.round(ms / 1000)} s`);
  }
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    statusText: string,
    url: string,
  ) {
    super(`${redactUrl(url)} answered HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
  }
}

interface Classified {
  transient: boolean;
  code: DownloadFailureCode;
  message: string;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function causeMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
}

/** What a failed request or body read means for the download, with a message naming the cause. */
function classify(error: unknown, url: string): Classified {
  if (error instanceof DownloadFailure) return { transient: false, code: error.code, message: error.message };
  if (error instanceof ModelError)
    return {
      transient: false,
      code: error.code === 'INVALID_SOURCE' ? 'INVALID_SOURCE' : 'DOWNLOAD_FAILED',
      message: error.message,
    };
  if (error instanceof StallError) return { transient: true, code: 'DOWNLOAD_FAILED', message: `${error.message}.` };
  if (error instanceof HttpStatusError) {
    const transient = error.status >= 500 || error.status === 408 || error.status === 429;
    return { transient, code: 'DOWNLOAD_FAILED', message: error.message };
  }
  const { host } = new URL(url);
  const code = causeCode(error);
  if (code && DNS_CODES.has(code))
    return {
      transient: false,
      code: 'DOWNLOAD_FAILED',
      message: `Cannot resolve ${host} (DNS lookup failed, ${code}): is this machine offline?`,
    };
  if (code === 'ECONNREFUSED')
    return { transient: false, code: 'DOWNLOAD_FAILED', message: `${host} refused the connection (ECONNREFUSED).` };
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH')
    return {
      transient: false,
      code: 'DOWNLOAD_FAILED',
      message: `${host} cannot be reached (${code}): is this machine offline?`,
    };
  if (code && TLS_CODE.test(code))
    return {
      transient: false,
      code: 'DOWNLOAD_FAILED',
      message: `The secure connection to ${host} failed (${code}): ${causeMessage(error)}`,
    };
  const transient =
    (code !== undefined && TRANSIENT_CODES.has(code)) ||
    /terminated|other side closed|socket/i.test(causeMessage(error));
  return {
    transient,
    code: 'DOWNLOAD_FAILED',
    message: `The connection to ${host} failed: ${causeMessage(error)}${code ? ` (${code})` : ''}`,
  };
}

function requestUrl(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** The body length a response declares: the span of its Content-Range, else its Content-Length. */
function declaredLength(response: Response): number | undefined {
  const span = /^bytes (\d+)-(\d+)\//.exec(response.headers.get('content-range') ?? '');
  if (response.status === 206 && span) return Number(span[2]) - Number(span[1]) + 1;
  const length = response.headers.get('content-length');
  return length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
}

function rangeOf(headers: Headers): { start: number; end?: number } | undefined {
  const match = /^bytes=(\d+)-(\d*)$/.exec(headers.get('range') ?? '');
  return match ? { start: Number(match[1]), ...(match[2] ? { end: Number(match[2]) } : {}) } : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface FetchGuardOptions {
  /** Waits before each retry of a transient failure mid-transfer; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  /** No answer, or no body bytes, for this long counts as a failure (transient mid-transfer). */
  stallTimeoutMs: number;
  onRetry(notice: RetryNotice): void;
  /** The download cannot go on: the child reports this and exits. */
  onFatal(failure: DownloadFailure): void;
}

export class FetchGuard {
  private bodyBytes = 0;
  private maxBodyBytes = BYTES_BEFORE_GO_AHEAD;
  private freeSpace: number | undefined;
  private transferStarted = false;
  private attempt = 0;
  private sinceRetry = 0;
  private failure: DownloadFailure | undefined;
  /** Requests per method, URL and range: ipull re-sends a request it did not like (a wrong length) up to 150 times. */
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly base: typeof fetch,
    private readonly options: FetchGuardOptions,
  ) {}

  /** At the go-ahead: from now on at most `bytes` more body bytes (the free space measured before starting). */
  limitBody(bytes: number): void {
    this.maxBodyBytes = this.bodyBytes + bytes;
    this.freeSpace = bytes;
  }

  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = requestUrl(input);
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    const key = `${method} ${url} ${headers.get('range') ?? ''}`;
    const count = (this.sent.get(key) ?? 0) + 1;
    this.sent.set(key, count);
    if (count > this.options.retryDelaysMs.length + 2) {
      const what = headers.get('range') ? `${headers.get('range')} of ${redactUrl(url)}` : redactUrl(url);
      throw this.fatal(
        new DownloadFailure(
          'DOWNLOAD_FAILED',
          `The download asked ${count - 1} times for ${what} without getting a usable answer; stopped.`,
        ),
        url,
      );
    }
    for (;;) {
      if (this.failure) throw this.failure;
      try {
        checkDownloadUri(url);
        const { response, finalUrl } = await this.follow(url, method, headers, init.signal ?? undefined);
        return this.wrap(response, finalUrl, method, headers, init.signal ?? undefined);
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        await this.retryOrFail(error, url);
      }
    }
  };

  /** Records the first failure that ends the download and tells the child; later ones are the same failure. */
  private fatal(error: unknown, url: string): DownloadFailure {
    if (!this.failure) {
      const { code, message } = classify(error, url);
      this.failure = new DownloadFailure(code, message);
      this.options.onFatal(this.failure);
    }
    return this.failure;
  }

  /** Waits for the next retry, or records the failure and throws it. */
  private async retryOrFail(error: unknown, url: string): Promise<void> {
    const classified = classify(error, url);
    if (!classified.transient || !this.transferStarted || this.attempt >= this.options.retryDelaysMs.length)
      throw this.fatal(error, url);
    this.attempt++;
    this.sinceRetry = 0;
    let left = this.options.retryDelaysMs[this.attempt - 1]!;
    while (left > 0) {
      this.options.onRetry({
        attempt: this.attempt,
        attempts: this.options.retryDelaysMs.length,
        secondsLeft: Math.ceil(left / 1000),
        reason: classified.message,
      });
      const step = Math.min(left, 1000);
      await sleep(step);
      left -= step;
    }
  }

  /** The response headers, or a StallError when none come within the stall timeout; the caller's signal still governs the body. */
  private async answer(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const controller = new AbortController();
    const forward = () => controller.abort(signal?.reason);
    if (signal?.aborted) forward();
    signal?.addEventListener('abort', forward, { once: true });
    let stalled = false;
    const timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, this.options.stallTimeoutMs);
    try {
      return await this.base(url, { ...init, signal: controller.signal });
    } catch (error) {
      throw stalled ? new StallError(url, this.options.stallTimeoutMs) : error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The next body chunk, or a StallError when none comes within the stall timeout (the stalled read is cancelled). */
  private async read(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    url: string,
  ): Promise<ReadableStreamReadResult<Uint8Array>> {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Reject before cancelling: the cancel ends the pending read as if the body were complete.
        reject(new StallError(url, this.options.stallTimeoutMs));
        void reader.cancel().catch(() => undefined);
      }, this.options.stallTimeoutMs);
    });
    try {
      return await Promise.race([reader.read(), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One request, following redirects by hand so each hop passes the policy first. */
  private async follow(
    url: string,
    method: string,
    headers: Headers,
    signal?: AbortSignal,
  ): Promise<{ response: Response; finalUrl: string }> {
    let current = url;
    let currentMethod = method;
    const hopHeaders = new Headers(headers);
    hopHeaders.set('accept-encoding', 'identity');
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await this.answer(
        current,
        { method: currentMethod, headers: hopHeaders, redirect: 'manual' },
        signal,
      );
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || !location) {
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new HttpStatusError(response.status, response.statusText, current);
        }
        return { response, finalUrl: current };
      }
      await response.body?.cancel().catch(() => undefined);
      const next = checkRedirect(current, location);
      // Credentials are for the host they were given to.
      if (new URL(next).origin !== new URL(current).origin) hopHeaders.delete('authorization');
      if (response.status === 303 && currentMethod !== 'HEAD') currentMethod = 'GET';
      current = next;
    }
    throw new DownloadFailure('DOWNLOAD_FAILED', `${redactUrl(url)} redirected more than ${MAX_REDIRECTS} times.`);
  }

  /** The response with a body that counts bytes, and resumes from where it stopped when the connection is cut. */
  private wrap(response: Response, finalUrl: string, method: string, headers: Headers, signal?: AbortSignal): Response {
    if (method === 'HEAD' || !response.body) return response;
    // A server that answered a GET with data on the way: from here on a cut is mid-transfer. (Counting
    // only bytes read would miss a cut whose queued bytes the stream discarded before they were read.)
    this.transferStarted = true;
    const range = rangeOf(headers);
    const resumable = response.status === 206 || response.headers.get('accept-ranges') === 'bytes';
    const declared = declaredLength(response);
    const encoding = response.headers.get('content-encoding');
    let reader = response.body.getReader();
    let received = 0;
    const body = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        for (;;) {
          try {
            const { done, value } = await this.read(reader, finalUrl);
            if (done) return controller.close();
            received += value.byteLength;
            this.bodyBytes += value.byteLength;
            // The retry budget is for one outage: it starts over once real progress was made.
            this.sinceRetry += value.byteLength;
            if (this.sinceRetry >= PROGRESS_RESETS_RETRIES) this.attempt = 0;
            if (declared !== undefined && received > declared) {
              const decoded =
                encoding && encoding !== 'identity' ? ` (counted after decoding its ${encoding} encoding)` : '';
              throw new DownloadFailure(
                'INVALID_MODEL_FILE',
                `${redactUrl(finalUrl)} sent more than the ${formatBytes(declared)} it declared${decoded}; stopped, and the partial file was removed.`,
              );
            }
            if (this.bodyBytes > this.maxBodyBytes) {
              throw new DownloadFailure(
                'INSUFFICIENT_DISK_SPACE',
                this.freeSpace === undefined
                  ? `${redactUrl(finalUrl)} sent more than ${formatBytes(BYTES_BEFORE_GO_AHEAD)} before the download started; stopped.`
                  : `The server sent more than the ${formatBytes(this.freeSpace)} free on disk when the download started (it did not give the size); stopped, and the partial file was removed.`,
              );
            }
            return controller.enqueue(value);
          } catch (error) {
            if ((error as Error).name === 'AbortError') return controller.error(error);
            try {
              if (!resumable && !(error instanceof DownloadFailure)) {
                throw new DownloadFailure(
                  'DOWNLOAD_FAILED',
                  `${classify(error, finalUrl).message} The server cannot resume a download, so it stopped.`,
                );
              }
              await this.retryOrFail(error, finalUrl);
              const start = (range?.start ?? 0) + received;
              const resumeHeaders = new Headers(headers);
              resumeHeaders.set('range', `bytes=${start}-${range?.end ?? ''}`);
              const next = await this.follow(finalUrl, 'GET', resumeHeaders, signal);
              const answered = /^bytes (\d+)-/.exec(next.response.headers.get('content-range') ?? '');
              if (next.response.status !== 206 || Number(answered?.[1]) !== start || !next.response.body) {
                throw new DownloadFailure(
                  'DOWNLOAD_FAILED',
                  `${redactUrl(finalUrl)} did not resume at byte ${start} (HTTP ${next.response.status}).`,
                );
              }
              reader = next.response.body.getReader();
            } catch (failure) {
              return controller.error(this.fatal(failure, finalUrl));
            }
          }
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    const wrapped = new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // ipull reads the final URL from the response (the redirect target it downloads from).
    Object.defineProperty(wrapped, 'url', { value: finalUrl });
    return wrapped;
  }
}
