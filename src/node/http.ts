/**
 * A small HTTP client on node:http/https for the metadata lookups: GET only, a deadline per request
 * (redirects included), cancellation by AbortSignal, a bounded number of redirects, compressed bodies,
 * a size limit, one polite retry when a service asks to wait (429/503 with a short Retry-After), and
 * failures as sentences a user can act on.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as zlib from 'node:zlib';

export type HttpFailure = 'offline' | 'refused' | 'timeout' | 'cancelled' | 'redirects' | 'too-large' | 'protocol';

export class HttpError extends Error {
  constructor(
    message: string,
    readonly failure: HttpFailure,
  ) {
    super(message);
  }
}

export interface HttpResponse {
  status: number;
  /** The address that answered, after redirects. */
  url: string;
  /** The media type, lower-case, without parameters ("application/atom+xml"). */
  contentType: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface GetOptions {
  accept?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRedirects?: number;
}

export interface HttpClientOptions {
  userAgent: string;
  timeoutMs?: number;
  maxRedirects?: number;
  maxBytes?: number;
  /** The longest Retry-After honoured once before giving up. */
  maxRetryWaitMs?: number;
  /** How to wait; tests make it instant. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class HttpClient {
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly maxBytes: number;
  private readonly maxRetryWaitMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: HttpClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.maxBytes = options.maxBytes ?? 10_000_000;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 10_000;
    this.sleep = options.sleep ?? sleep;
  }

  async get(url: string, options: GetOptions = {}): Promise<HttpResponse> {
    const response = await this.follow(url, options);
    const wait = retryAfterMs(response);
    if ((response.status === 429 || response.status === 503) && wait !== undefined && wait <= this.maxRetryWaitMs) {
      await this.sleep(wait, options.signal);
      return this.follow(url, options);
    }
    return response;
  }

  private async follow(url: string, options: GetOptions): Promise<HttpResponse> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    const maxRedirects = options.maxRedirects ?? this.maxRedirects;
    let current = new URL(url);
    for (let hop = 0; ; hop++) {
      const response = await this.once(current, options, deadline, timeoutMs);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.status) || !location) return response;
      if (hop >= maxRedirects) throw new HttpError(`${current.host} redirected more than ${maxRedirects} times`, 'redirects');
      const next = new URL(location, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new HttpError(`${current.host} redirected to a ${next.protocol} address`, 'protocol');
      current = next;
    }
  }

  private once(url: URL, options: GetOptions, deadline: number, timeoutMs: number): Promise<HttpResponse> {
    const host = url.host;
    return new Promise<HttpResponse>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new HttpError('cancelled', 'cancelled'));
        return;
      }
      let settled = false;
      const finish = (error: Error | undefined, response?: HttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(response as HttpResponse);
      };
      const onAbort = () => finish(new HttpError('cancelled', 'cancelled'));
      const timer = setTimeout(() => finish(new HttpError(`${host} did not answer within ${seconds(timeoutMs)} s`, 'timeout')), Math.max(0, deadline - Date.now()));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const transport = url.protocol === 'https:' ? https : http;
      const request = transport.get(
        url,
        {
          headers: {
            'User-Agent': this.options.userAgent,
            Accept: options.accept ?? '*/*',
            'Accept-Encoding': 'gzip, deflate, br',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const stream = decoded(response);
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > this.maxBytes) finish(new HttpError(`${host} sent more than ${Math.round(this.maxBytes / 1_000_000)} MB`, 'too-large'));
            else chunks.push(chunk);
          });
          stream.on('error', (error: NodeJS.ErrnoException) => finish(new HttpError(`${host} sent a body that could not be read (${error.code ?? error.message})`, 'protocol')));
          stream.on('end', () =>
            finish(undefined, {
              status: response.statusCode ?? 0,
              url: url.toString(),
              contentType: String(response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase(),
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', (error: NodeJS.ErrnoException) => finish(networkError(host, error)));
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => finish(networkError(host, error)));
    });
  }
}

function decoded(response: http.IncomingMessage): NodeJS.ReadableStream {
  switch (String(response.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return response.pipe(zlib.createGunzip());
    case 'deflate':
      return response.pipe(zlib.createInflate());
    case 'br':
      return response.pipe(zlib.createBrotliDecompress());
    default:
      return response;
  }
}

/** What a socket error means for the user. */
function networkError(host: string, error: NodeJS.ErrnoException): HttpError {
  switch (error.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new HttpError(`could not find ${host}: are you offline?`, 'offline');
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
      return new HttpError(`no network route to ${host}: are you offline?`, 'offline');
    case 'ECONNREFUSED':
      return new HttpError(`${host} refused the connection`, 'refused');
    case 'ECONNRESET':
    case 'EPIPE':
      return new HttpError(`${host} closed the connection`, 'refused');
    default:
      if (/CERT|SSL|TLS/i.test(error.code ?? '')) return new HttpError(`the secure connection to ${host} failed (${error.code})`, 'protocol');
      return new HttpError(`${host}: ${error.code ?? error.message}`, 'protocol');
  }
}

/** Retry-After in seconds or as a date, in milliseconds from now. */
function retryAfterMs(response: HttpResponse): number | undefined {
  const header = response.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function seconds(ms: number): string {
  return ms < 10_000 ? String(Math.round(ms / 100) / 10) : String(Math.round(ms / 1000));
}

/** Waits, or rejects with "cancelled" as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new HttpError('cancelled', 'cancelled'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new HttpError('cancelled', 'cancelled'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Keeps calls to one service at least `intervalMs` apart (arXiv's manual asks for about 3 s):
 * `wait()` resolves when the next call may start.
 */
export class Pacer {
  private next = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly pause: (ms: number, signal?: AbortSignal) => Promise<void> = sleep,
    private readonly now: () => number = Date.now,
  ) {}

  async wait(signal?: AbortSignal): Promise<void> {
    const delay = this.next - this.now();
    this.next = Math.max(this.now(), this.next) + this.intervalMs;
    if (delay > 0) await this.pause(delay, signal);
  }
}

/** "export.arxiv.org answered 503 (Service Unavailable)". */
export function statusSentence(response: HttpResponse): string {
  const host = new URL(response.url).host;
  const reason = http.STATUS_CODES[response.status];
  return `${host} answered ${response.status}${reason ? ` (${reason})` : ''}`;
}
