/**
 * Fetches the metadata of identifiers from the services that hold it: arXiv's API (ids batched into
 * one paced call), DOI content negotiation for CSL-JSON with Crossref's REST API behind it, the arXiv
 * DOI at DataCite when arXiv's API cannot answer, and OpenReview's notes API. Each identifier gets a
 * record or a sentence saying why not; one failing never stops the others.
 */
import { arxivEntryToRecord, parseArxivFeed, type ArxivFeed } from '../core/identifiers/arxiv';
import { recordFromCrossref, recordFromCslJson } from '../core/identifiers/doi';
import { recordFromOpenReview } from '../core/identifiers/openreview';
import { arxivDoi, identifierLabel, type Identifier } from '../core/identifiers/parse';
import { MalformedAnswer, type FetchedRecord, type LookupResult } from '../core/identifiers/record';
import { errorText } from '../core/errors';
import { HttpClient, HttpError, Pacer, statusSentence, type HttpResponse } from './http';

export interface Endpoints {
  /** arXiv's query API, e.g. https://export.arxiv.org/api/query */
  arxivApi: string;
  /** A DOI resolver that does content negotiation, e.g. https://doi.org */
  doiResolver: string;
  /** Crossref's REST API, e.g. https://api.crossref.org */
  crossrefApi: string;
  /** OpenReview's API, e.g. https://api2.openreview.net */
  openReviewApi: string;
}

export interface MetadataClientOptions {
  endpoints: Endpoints;
  http: HttpClient;
  /** Time between two calls to arXiv's API (its manual asks for about 3 s). */
  arxivIntervalMs?: number;
  /** How to wait between arXiv calls and what time it is; tests make both their own. */
  pause?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

const CSL_JSON = 'application/vnd.citationstyles.csl+json';
/** arXiv's API takes lists of ids; more than this many go in several calls. */
const ARXIV_BATCH = 20;

/** A lookup that failed in a way another service may still answer (network, 5xx, unreadable body). */
class Unavailable extends Error {}
/** The service says the identifier does not exist: asking elsewhere would say the same. */
class NotFound extends Error {}

export class MetadataClient {
  private readonly arxivPacer: Pacer;

  constructor(private readonly options: MetadataClientOptions) {
    this.arxivPacer = new Pacer(options.arxivIntervalMs ?? 3000, options.pause, options.now);
  }

  /** One result per identifier, in order; `onDone` is told as each one is settled. */
  async lookup(identifiers: readonly Identifier[], signal?: AbortSignal, onDone?: (identifier: Identifier) => void): Promise<LookupResult[]> {
    const results = new Map<Identifier, LookupResult>();
    const settle = (identifier: Identifier, result: LookupResult) => {
      results.set(identifier, result);
      onDone?.(identifier);
    };
    const arxiv = identifiers.filter((identifier): identifier is Extract<Identifier, { kind: 'arxiv' }> => identifier.kind === 'arxiv');
    for (let start = 0; start < arxiv.length; start += ARXIV_BATCH) {
      const batch = arxiv.slice(start, start + ARXIV_BATCH);
      const found = await this.arxiv(batch.map((identifier) => identifier.id), signal);
      for (const identifier of batch) settle(identifier, found.get(identifier.id) ?? { error: 'no answer' });
    }
    for (const identifier of identifiers) {
      if (identifier.kind === 'doi') settle(identifier, await this.doi(identifier.doi, signal));
      else if (identifier.kind === 'openreview') settle(identifier, await this.openReview(identifier.id, signal));
    }
    return identifiers.map((identifier) => {
      const result = results.get(identifier) ?? { error: 'no answer' };
      return 'error' in result ? { error: `${identifierLabel(identifier)}: ${result.error}` } : result;
    });
  }

  /**
   * arXiv ids, version-less, in one call. An error entry (a malformed id spoils the whole call) makes
   * each id go alone; when the API cannot answer, each id's DataCite DOI is asked instead.
   */
  async arxiv(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, LookupResult>> {
    const results = new Map<string, LookupResult>();
    let feed: ArxivFeed;
    try {
      feed = await this.arxivFeed(ids, signal);
    } catch (error) {
      if (isCancelled(error)) throw error;
      for (const id of ids) results.set(id, await this.arxivFallback(id, errorText(error), signal));
      return results;
    }
    if (feed.errors.length > 0 && feed.entries.length === 0) {
      if (ids.length > 1) {
        for (const id of ids) results.set(id, (await this.arxiv([id], signal)).get(id) as LookupResult);
        return results;
      }
      results.set(ids[0], { error: `arXiv says: ${feed.errors.join('; ')}` });
      return results;
    }
    const byId = new Map(feed.entries.map((entry) => [entry.id.toLowerCase(), entry]));
    for (const id of ids) {
      const entry = byId.get(id.toLowerCase());
      results.set(id, entry ? { record: arxivEntryToRecord(entry) } : { error: 'arXiv has no paper with this id' });
    }
    return results;
  }

  async doi(doi: string, signal?: AbortSignal): Promise<LookupResult> {
    try {
      return { record: await this.contentNegotiation(doi, signal) };
    } catch (first) {
      if (isCancelled(first)) throw first;
      if (first instanceof NotFound) return { error: first.message };
      try {
        return { record: await this.crossref(doi, signal) };
      } catch (second) {
        if (isCancelled(second)) throw second;
        return { error: `${first instanceof Unavailable ? `${errorText(first)}; ` : ''}Crossref: ${errorText(second)}` };
      }
    }
  }

  async openReview(id: string, signal?: AbortSignal): Promise<LookupResult> {
    try {
      const url = `${trimSlash(this.options.endpoints.openReviewApi)}/notes?id=${encodeURIComponent(id)}`;
      const response = await this.options.http.get(url, { accept: 'application/json', signal });
      if (response.status === 404 || response.status === 403) return { error: 'OpenReview has no public paper with this id' };
      const record = recordFromOpenReview(jsonBody(response), id);
      return record ? { record } : { error: 'OpenReview has no public paper with this id' };
    } catch (error) {
      if (isCancelled(error)) throw error;
      return { error: errorText(error) };
    }
  }

  private async arxivFeed(ids: readonly string[], signal?: AbortSignal): Promise<ArxivFeed> {
    await this.arxivPacer.wait(signal);
    const url = `${this.options.endpoints.arxivApi}?id_list=${ids.map(encodeURIComponent).join(',')}&max_results=${ids.length}`;
    const response = await this.options.http.get(url, { accept: 'application/atom+xml', signal });
    // arXiv answers a malformed id with 400 and an error entry, or (as its manual says) 200.
    if (response.status !== 200 && response.status !== 400) throw new Unavailable(statusSentence(response));
    try {
      return parseArxivFeed(response.body);
    } catch (error) {
      if (error instanceof MalformedAnswer) throw new Unavailable(`arXiv's answer could not be read: ${error.message}`);
      throw error;
    }
  }

  private async arxivFallback(id: string, reason: string, signal?: AbortSignal): Promise<LookupResult> {
    try {
      return { record: await this.contentNegotiation(arxivDoi(id), signal) };
    } catch (error) {
      if (isCancelled(error)) throw error;
      return { error: `${reason}; its arXiv DOI: ${errorText(error)}` };
    }
  }

  /** CSL-JSON by content negotiation: doi.org redirects to the registration agency, which answers. */
  private async contentNegotiation(doi: string, signal?: AbortSignal): Promise<FetchedRecord> {
    const url = `${trimSlash(this.options.endpoints.doiResolver)}/${encodeDoi(doi)}`;
    const response = await this.unavailableOnFailure(() => this.options.http.get(url, { accept: CSL_JSON, signal }));
    if (response.status === 404) throw new NotFound('no such DOI (the DOI resolver answered 404)');
    if (response.status === 200 && isJson(response.contentType)) {
      try {
        return recordFromCslJson(JSON.parse(response.body));
      } catch (error) {
        throw new Unavailable(`the DOI resolver's answer could not be read: ${error instanceof SyntaxError ? 'not JSON' : errorText(error)}`);
      }
    }
    // 204 (no metadata), 406 (no CSL-JSON), a landing page: another service may know more.
    throw new Unavailable(response.status === 200 ? 'the DOI resolver has no CSL-JSON for it' : statusSentence(response));
  }

  private async crossref(doi: string, signal?: AbortSignal): Promise<FetchedRecord> {
    const url = `${trimSlash(this.options.endpoints.crossrefApi)}/works/${encodeDoi(doi)}`;
    const response = await this.options.http.get(url, { accept: 'application/json', signal });
    if (response.status === 404) throw new NotFound('it has no record of this DOI');
    if (response.status !== 200) throw new Error(statusSentence(response));
    return recordFromCrossref(jsonBody(response));
  }

  private async unavailableOnFailure(get: () => Promise<HttpResponse>): Promise<HttpResponse> {
    try {
      return await get();
    } catch (error) {
      if (isCancelled(error) || !(error instanceof HttpError)) throw error;
      throw new Unavailable(error.message);
    }
  }
}

export function isCancelled(error: unknown): boolean {
  return error instanceof HttpError && error.failure === 'cancelled';
}

function jsonBody(response: HttpResponse): unknown {
  if (response.status !== 200) throw new Error(statusSentence(response));
  try {
    return JSON.parse(response.body);
  } catch {
    throw new MalformedAnswer(`${new URL(response.url).host} did not answer with JSON`);
  }
}

function isJson(contentType: string): boolean {
  return contentType === 'application/json' || contentType.endsWith('+json');
}

/** A DOI in a URL path: every character that is special there is escaped, the slashes stay. */
function encodeDoi(doi: string): string {
  return doi.split('/').map(encodeURIComponent).join('/');
}

function trimSlash(base: string): string {
  return base.replace(/\/+$/, '');
}
