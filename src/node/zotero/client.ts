/**
 * GET requests to Zotero's local API, and what can go wrong with them in words. Zotero answers in
 * HTTP/1.0 without Content-Length (the body ends when it closes the connection), so a body cut
 * short by Zotero quitting is only noticed when its JSON does not parse: every answer is JSON here.
 * Only GET is ever sent: nothing is written to Zotero.
 */
import * as http from 'node:http';

export type ZoteroErrorKind =
  /** 403 "Local API is not enabled": the setting in Zotero is off. */
  | 'not-enabled'
  /** Nothing listens at the address (Zotero is not running), or the connection broke off. */
  | 'unreachable'
  /** Zotero 6 or earlier: no local API at `/api/`. */
  | 'no-local-api'
  /** The answer is not the JSON it should be: cut short, or broken. */
  | 'malformed'
  /** Any other status. */
  | 'http';

export class ZoteroError extends Error {
  constructor(
    readonly kind: ZoteroErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ZoteroError';
  }
}

export interface ZoteroAnswer {
  status: number;
  json: unknown;
  /** `Last-Modified-Version`: the library's version for lists, the object's for one object. */
  version?: number;
  /** `Total-Results` of a list. */
  total?: number;
}

export interface ClientOptions {
  /** Per request; a first sync's large pages take longest. */
  timeoutMs?: number;
  /** An answer larger than this is refused rather than held in memory. */
  maxBytes?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The API's base address from the setting, or a sentence saying why it cannot be used. Only this computer is ever asked. */
export function apiBase(setting: string): URL | string {
  let url: URL;
  try {
    url = new URL(setting.trim());
  } catch {
    return `"${setting}" is not an address`;
  }
  if (url.protocol !== 'http:') return `"${setting}" is not an http:// address`;
  if (!LOOPBACK.has(url.hostname)) return `"${setting}" is not on this computer (Zotero's local API answers only on 127.0.0.1)`;
  return new URL(`${url.origin}${url.pathname.replace(/\/+$/, '')}/api/`);
}

/** `params` values that are lists repeat the parameter (`itemType=-attachment&itemType=-note`). */
export type Params = Readonly<Record<string, string | number | readonly string[] | undefined>>;

export class ZoteroClient {
  /** Requests sent, for the log and the benchmark. */
  requests = 0;
  bytes = 0;

  constructor(
    readonly base: URL,
    private readonly options: ClientOptions = {},
  ) {}

  /**
   * GETs `path` (below `/api/`) and reads its JSON; `ifModifiedSince` makes a 304 possible, answered
   * as `{status: 304, json: undefined}`.
   */
  async get(path: string, params: Params = {}, ifModifiedSince?: number): Promise<ZoteroAnswer> {
    const url = new URL(path.replace(/^\/+/, ''), this.base);
    for (const [name, value] of Object.entries(params)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(one));
    }
    const headers: Record<string, string> = {
      'Zotero-Allowed-Request': '1',
      'Zotero-API-Version': '3',
      Accept: 'application/json',
      'User-Agent': 'LitNotes (VS Code extension)',
      Connection: 'close',
    };
    // Zotero 7 answers `If-Modified-Since-Version: 0` with 304 even when there is something: never sent.
    if (ifModifiedSince !== undefined && ifModifiedSince > 0) headers['If-Modified-Since-Version'] = String(ifModifiedSince);
    const { status, headers: answer, body } = await this.request(url, headers);
    const number = (name: string) => {
      const raw = answer[name];
      const value = Number(Array.isArray(raw) ? raw[0] : raw);
      return Number.isFinite(value) && raw !== undefined ? value : undefined;
    };
    const version = number('last-modified-version');
    const total = number('total-results');
    if (status === 304) return { status, json: undefined, ...(version !== undefined && { version }) };
    if (status === 403 && /local api is not enabled/i.test(body)) {
      throw new ZoteroError('not-enabled', 'Zotero answers, but its local API is not enabled', status);
    }
    if (status === 404 && answer['zotero-api-version'] === undefined) {
      throw new ZoteroError('no-local-api', 'Zotero answers, but has no local API (Zotero 7 or later has one)', status);
    }
    if (status !== 200) throw new ZoteroError('http', `Zotero answered ${url.pathname} with ${status}: ${body.slice(0, 200).trim()}`, status);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ZoteroError('malformed', `Zotero's answer to ${url.pathname} is not valid JSON (${body.length} characters; cut short?)`, status);
    }
    return { status, json, ...(version !== undefined && { version }), ...(total !== undefined && { total }) };
  }

  private request(url: URL, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    const { timeoutMs = 60_000, maxBytes = 512 * 1024 * 1024 } = this.options;
    this.requests++;
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => reject(error instanceof ZoteroError ? error : unreachable(url, error));
      const request = http.get(url, { headers, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) request.destroy(new ZoteroError('malformed', `Zotero's answer to ${url.pathname} is larger than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        // A body without Content-Length ends with the connection: 'end' is a whole answer as far as HTTP can tell.
        response.on('end', () => {
          this.bytes += size;
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('aborted', () => fail(new Error('the connection closed in the middle of the answer')));
        response.on('error', fail);
      });
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)));
      request.on('error', fail);
    });
  }
}

function unreachable(url: URL, error: Error): ZoteroError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ECONNREFUSED' ? `nothing answers at ${url.host} (is Zotero running?)` : code === 'ECONNRESET' ? 'Zotero closed the connection' : error.message;
  return new ZoteroError('unreachable', why);
}
