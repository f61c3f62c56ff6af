import * as assert from 'node:assert/strict';
import { HttpClient, HttpError, Pacer } from '../../src/node/http';
import { MetadataClient, type Endpoints } from '../../src/node/metadataClient';
import type { Identifier } from '../../src/core/identifiers/parse';
import type { LookupResult } from '../../src/core/identifiers/record';
import { startMetadataDouble, type MetadataDouble } from '../doubles/metadataServer';

const USER_AGENT = 'LitNotes/9.9.9 (VS Code extension; tests)';

describe('metadata client against the local double', () => {
  let double: MetadataDouble;
  let pauses: number[];
  let clock: number;

  const client = (overrides: Partial<Endpoints> = {}, timeoutMs = 2000) =>
    new MetadataClient({
      endpoints: { ...double.endpoints, ...overrides },
      http: new HttpClient({ userAgent: USER_AGENT, timeoutMs, sleep: async () => undefined }),
      pause: async (ms) => {
        pauses.push(ms);
        clock += ms;
      },
      now: () => clock,
    });
  const record = (result: LookupResult | undefined) => {
    assert.ok(result && 'record' in result, JSON.stringify(result));
    return result.record;
  };
  const error = (result: LookupResult | undefined) => {
    assert.ok(result && 'error' in result, JSON.stringify(result));
    return result.error;
  };
  const arxiv = (id: string, version?: number): Identifier => ({ kind: 'arxiv', id, ...(version && { version }) });
  const doi = (value: string): Identifier => ({ kind: 'doi', doi: value });

  beforeEach(async () => {
    double = await startMetadataDouble();
    pauses = [];
    clock = 0;
  });
  afterEach(() => double.close());

  it('asks arXiv once for several ids, with the User-Agent and Accept it should, and reads each record', async () => {
    const results = await client().lookup([arxiv('2501.01234'), arxiv('2412.02685', 1), arxiv('math/0309136'), arxiv('2309.05678'), arxiv('2501.99999')]);
    const calls = double.requests.filter((request) => request.url.startsWith('/arxiv/'));
    assert.equal(calls.length, 1);
    assert.equal(calls[0].url, '/arxiv/api/query?id_list=2501.01234,2412.02685,math%2F0309136,2309.05678,2501.99999&max_results=5');
    assert.equal(calls[0].userAgent, USER_AGENT);
    assert.equal(calls[0].accept, 'application/atom+xml');
    assert.equal(record(results[0]).title, 'Credit Where It Is Due: Token-Level Rewards for Multi-Turn Language Agents');
    assert.equal(record(results[1]).version, '2', 'the newest version is fetched whatever version was pasted');
    assert.equal(record(results[2]).number, 'arXiv:math/0309136');
    assert.equal(record(results[3])['container-title'], 'Journal of Machine Learning Research 25 (2024) 1-30');
    assert.equal(error(results[4]), 'arXiv:2501.99999: arXiv has no paper with this id');
  });

  it("goes id by id after arXiv's error entry, paced about 3 s apart, whether the error comes with 400 or 200", async () => {
    for (const status of [400, 200] as const) {
      double.errorStatus = status;
      pauses = [];
      const results = await client().arxiv(['abc', '2501.01234']);
      assert.equal(error(results.get('abc')), 'arXiv says: incorrect id format for abc');
      assert.equal(record(results.get('2501.01234')).custom?.['arxiv-id'], '2501.01234');
      assert.equal(pauses.length, 2, 'the second and third calls wait');
      assert.deepEqual(pauses, [3000, 3000]);
    }
  });

  it("falls back to the arXiv DOI (DataCite) when arXiv's API is down or answers garbage", async () => {
    for (const mode of ['unavailable', 'garbage'] as const) {
      double.arxivMode = mode;
      const [fallback, failed] = await client().lookup([arxiv('2501.01234'), arxiv('2412.02685')]);
      assert.equal(record(fallback).DOI, '10.48550/ARXIV.2501.01234');
      assert.match(error(failed), mode === 'unavailable' ? /^arXiv:2412\.02685: 127\.0\.0\.1:\d+ answered 503 \(Service Unavailable\); its arXiv DOI: no such DOI/ : /could not be read: the answer is not an Atom feed; its arXiv DOI: no such DOI/);
    }
  });

  it('reads DOIs by content negotiation through a redirect, with Crossref behind it', async () => {
    const [acl, landing, noCsl, missing] = await client().lookup([doi('10.18653/v1/2024.acl-long.123'), doi('10.1145/3650000.3650001'), doi('10.1101/2024.02.01.578000'), doi('10.9999/nothing')]);
    assert.equal(record(acl).type, 'paper-conference');
    assert.equal(record(acl).title, 'Turn-Level Credit for Dialogue Agents');
    assert.equal(record(landing).title, 'Learning to Assign Credit: A Survey for Practitioners', 'a landing page instead of CSL-JSON: Crossref answers');
    assert.equal(record(noCsl).genre, 'Preprint', '406 at the agency: Crossref answers');
    assert.equal(error(missing), 'DOI 10.9999/nothing: no such DOI (the DOI resolver answered 404)');
    assert.ok(!double.requests.some((request) => request.url.includes('/crossref/works/10.9999')), 'a 404 at doi.org is final');
    const negotiated = double.requests.find((request) => request.url.startsWith('/doi/10.18653'));
    assert.equal(negotiated?.accept, 'application/vnd.citationstyles.csl+json');
    assert.ok(double.requests.some((request) => request.url === '/ra/crossref/10.18653/v1/2024.acl-long.123'), 'the redirect was followed');
  });

  it('says in words what went wrong: malformed body, server errors, redirect loop, timeout, refused connection', async () => {
    const [broken, serverError, loop] = await client().lookup([doi('10.5555/broken'), doi('10.5555/server-error'), doi('10.5555/loop')]);
    assert.match(error(broken), /^DOI 10\.5555\/broken: the DOI resolver's answer could not be read: not JSON; Crossref: 127\.0\.0\.1:\d+ did not answer with JSON$/);
    assert.match(error(serverError), /answered 500 \(Internal Server Error\); Crossref: 127\.0\.0\.1:\d+ answered 500/);
    assert.match(error(loop), /redirected more than 5 times; Crossref: it has no record of this DOI$/);
    const [slow] = await client({}, 300).lookup([doi('10.5555/slow')]);
    assert.match(error(slow), /did not answer within 0\.3 s; Crossref: it has no record of this DOI$/);
    const closed = await startMetadataDouble();
    await closed.close();
    const [refused] = await client({ doiResolver: closed.endpoints.doiResolver, crossrefApi: closed.endpoints.crossrefApi }).lookup([doi('10.1145/3650000.3650001')]);
    assert.match(error(refused), /refused the connection; Crossref: 127\.0\.0\.1:\d+ refused the connection$/);
  });

  it('waits once when Crossref answers 429 with a Retry-After', async () => {
    const [busy] = await client().lookup([doi('10.5555/busy')]);
    assert.match(error(busy), /Crossref: it has no record of this DOI$/);
    assert.equal(double.requests.filter((request) => request.url === '/crossref/works/10.5555/busy').length, 2);
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = client({}, 10_000).lookup([doi('10.5555/slow')], controller.signal);
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(pending, (failure: unknown) => failure instanceof HttpError && failure.failure === 'cancelled');
    assert.ok(Date.now() - started < 2000);
  });

  it('reads OpenReview notes', async () => {
    const [found, missing] = await client().lookup([{ kind: 'openreview', id: 'Hk3aB9xYz0' }, { kind: 'openreview', id: 'Zz9zZ9zZ9z' }]);
    assert.equal(record(found)['container-title'], 'The Twelfth International Conference on Learning Representations');
    assert.equal(error(missing), 'OpenReview Zz9zZ9zZ9z: OpenReview has no public paper with this id');
  });

  it('contacts nothing but the double on 127.0.0.1', () => {
    assert.match(double.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('Pacer', () => {
  it('keeps calls an interval apart and lets the first one through at once', async () => {
    let now = 1000;
    const waits: number[] = [];
    const pacer = new Pacer(3000, async (ms) => {
      waits.push(ms);
      now += ms;
    }, () => now);
    await pacer.wait();
    await pacer.wait();
    now += 5000;
    await pacer.wait();
    await pacer.wait();
    assert.deepEqual(waits, [3000, 3000]);
  });
});
