/**
 * A local stand-in for the metadata services, on 127.0.0.1 and a free port, answering as their
 * documentation says they answer:
 *
 * - arXiv's `/api/query?id_list=…`: an Atom feed (`application/atom+xml`) with OpenSearch totals and
 *   arXiv's extension elements; an unknown id gives an empty feed; a malformed id an error entry
 *   (HTTP 400 as arXiv answers today, or 200 as its manual describes: `errorStatus`);
 * - doi.org: with `Accept: application/vnd.citationstyles.csl+json` a 302 to the registration agency,
 *   which answers CSL-JSON (or 406 when it has none, or a landing page); otherwise a 302 to the landing
 *   page; an unknown DOI is a 404 with an HTML page;
 * - api.crossref.org `/works/{doi}`: `{"status": "ok", "message-type": "work", "message": {…}}`, or 404
 *   with the text "Resource not found.";
 * - OpenReview's `/notes?id=…`: `{"notes": […], "count": n}`.
 *
 * Some DOIs misbehave on purpose (slow, broken body, server error, redirect loop), and arXiv can be
 * switched to unavailable, garbage or slow. Every request is logged with its headers.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import crossrefPostedContent from '../fixtures/identifiers/crossref-posted-content.json';
import crossrefWork from '../fixtures/identifiers/crossref-work.json';
import aclCsl from '../fixtures/identifiers/doi-crossref-csl.json';
import dataciteArxiv from '../fixtures/identifiers/doi-datacite-arxiv.json';
import openReviewNote from '../fixtures/identifiers/openreview-note.json';

export interface ArxivPaper {
  id: string;
  version: number;
  title: string;
  summary: string;
  authors: string[];
  published: string;
  updated: string;
  primary: string;
  categories: string[];
  doi?: string;
  journalRef?: string;
  comment?: string;
}

export interface LoggedRequest {
  method: string;
  url: string;
  accept?: string;
  userAgent?: string;
  at: number;
}

export type ArxivMode = 'ok' | 'unavailable' | 'garbage' | 'slow';

export const ARXIV_PAPERS: readonly ArxivPaper[] = [
  {
    id: '2501.01234',
    version: 2,
    title: 'Credit Where It Is Due: Token-Level Rewards for Multi-Turn\n  Language Agents',
    summary: '  Reinforcement learning for language agents assigns one reward to a whole\nepisode, so the model cannot tell which turn earned it.',
    authors: ['Ada Lovelace', 'Mihaela van der Schaar', 'José Núñez Jr.'],
    published: '2025-01-02T17:04:11Z',
    updated: '2025-01-15T09:30:00Z',
    primary: 'cs.LG',
    categories: ['cs.LG', 'cs.AI'],
    comment: '12 pages',
  },
  {
    id: '2412.02685',
    version: 2,
    title: 'T-REG: Preference Optimization with Token-Level Reward Regularization',
    summary: 'Reinforcement learning from human feedback (RLHF) has been crucial in aligning large language models.',
    authors: ['Wenxuan Zhou', 'Shujian Zhang', 'Lingxiao Zhao', 'Tao Meng'],
    published: '2024-12-03T18:56:07Z',
    updated: '2025-05-30T00:00:00Z',
    primary: 'cs.CL',
    categories: ['cs.CL'],
  },
  {
    id: '2309.05678',
    version: 3,
    title: 'Reward Shaping Without Regret',
    summary: 'We show that potential-based shaping keeps the optimal policy even when the potential is learned.',
    authors: ['Grace Hopper'],
    published: '2023-09-11T12:00:00Z',
    updated: '2024-06-11T08:00:00Z',
    primary: 'cs.LG',
    categories: ['cs.LG'],
    doi: '10.1234/jmlr.2024.0042',
    journalRef: 'Journal of Machine Learning Research 25 (2024) 1-30',
  },
  {
    id: 'math/0309136',
    version: 1,
    title: 'Knots in Thickened Surfaces and Their Invariants',
    summary: 'We study knots in thickened surfaces.',
    authors: ['Emmy Noether'],
    published: '2003-09-08T20:00:00Z',
    updated: '2003-09-08T20:00:00Z',
    primary: 'math.GT',
    categories: ['math.GT', 'math.QA'],
  },
  {
    id: '2502.04321',
    version: 1,
    title: '<img src=x onerror=alert(1)> [Click me](command:x) *x* __init__ $(alert) Tricky Titles',
    summary: '<script>alert(1)</script> An abstract with [a link](command:workbench.action.quit).',
    authors: ['Mallory <b>Evil</b>'],
    published: '2025-02-06T10:00:00Z',
    updated: '2025-02-06T10:00:00Z',
    primary: 'cs.CR',
    categories: ['cs.CR'],
  },
];

/** Ids arXiv rejects as malformed (its check is stricter than the id pattern). */
const MALFORMED_ARXIV = new Set(['1234.12345', 'abc']);

interface DoiEntry {
  /** Where doi.org sends a CSL-JSON request. */
  agency: 'crossref' | 'datacite' | 'no-csl' | 'landing-page';
  csl?: unknown;
  crossref?: unknown;
}

const DOIS: Record<string, DoiEntry> = {
  '10.18653/v1/2024.acl-long.123': { agency: 'crossref', csl: aclCsl },
  '10.1145/3650000.3650001': { agency: 'landing-page', crossref: crossrefWork },
  '10.1101/2024.02.01.578000': { agency: 'no-csl', crossref: crossrefPostedContent },
  '10.48550/arxiv.2501.01234': { agency: 'datacite', csl: dataciteArxiv },
  '10.1234/jmlr.2024.0042': {
    agency: 'crossref',
    csl: {
      type: 'article-journal',
      title: 'Reward Shaping Without Regret',
      author: [{ given: 'Grace', family: 'Hopper', sequence: 'first', affiliation: [] }],
      'container-title': 'Journal of Machine Learning Research',
      volume: '25',
      page: '1-30',
      issued: { 'date-parts': [[2024, 6]] },
      DOI: '10.1234/jmlr.2024.0042',
      URL: 'https://doi.org/10.1234/jmlr.2024.0042',
      'reference-count': 12,
    },
  },
};

const NOT_FOUND_HTML = '<!DOCTYPE html><html><head><title>Error: DOI Not Found</title></head><body><h1>DOI Not Found</h1><p>This DOI cannot be found in the DOI System.</p></body></html>';

export interface MetadataDouble {
  origin: string;
  endpoints: { arxivApi: string; doiResolver: string; crossrefApi: string; openReviewApi: string };
  requests: LoggedRequest[];
  arxivMode: ArxivMode;
  /** How arXiv answers a malformed id: 400 (what it does today) or 200 (what its manual says). */
  errorStatus: 200 | 400;
  /** Every answer waits this long (to watch the progress notification). */
  delayMs: number;
  /** Replaces (or adds) an arXiv paper: a new version, a journal reference. */
  setArxivPaper(paper: ArxivPaper): void;
  close(): Promise<void>;
}

export async function startMetadataDouble(): Promise<MetadataDouble> {
  const arxiv = new Map(ARXIV_PAPERS.map((paper) => [paper.id, { ...paper }]));
  const requests: LoggedRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const state = { arxivMode: 'ok' as ArxivMode, errorStatus: 400 as 200 | 400, busyServed: false, delayMs: 0 };

  const server = http.createServer((request, response) => {
    if (state.delayMs > 0) setTimeout(() => answer(request, response), state.delayMs);
    else answer(request, response);
  });
  const answer = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    // A client that gave up while the answer was delayed.
    if (response.destroyed) return;
    requests.push({ method: request.method ?? 'GET', url: request.url ?? '', accept: request.headers.accept, userAgent: request.headers['user-agent'], at: Date.now() });
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string, headers: http.OutgoingHttpHeaders = {}) => {
      response.writeHead(status, { 'Content-Type': type, ...headers });
      response.end(body);
    };
    const hang = () => {
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
    };
    const path = url.pathname;
    if (path === '/arxiv/api/query') {
      if (state.arxivMode === 'slow') return hang();
      if (state.arxivMode === 'unavailable') return send(503, 'text/html', '<html><body><h1>503 Service Unavailable</h1></body></html>');
      if (state.arxivMode === 'garbage') return send(200, 'text/html; charset=utf-8', '<html><head><title>Sign in to the hotel Wi-Fi</title></head></html>');
      const ids = (url.searchParams.get('id_list') ?? '').split(',').filter(Boolean);
      const malformed = ids.find((id) => MALFORMED_ARXIV.has(id));
      if (malformed) return send(state.errorStatus, 'application/atom+xml; charset=utf-8', errorFeed(malformed));
      const found = ids.map((id) => arxiv.get(id.replace(/v\d+$/, ''))).filter((paper): paper is ArxivPaper => paper !== undefined);
      return send(200, 'application/atom+xml; charset=utf-8', feed(ids, found));
    }
    if (path.startsWith('/doi/')) {
      const doi = decodePath(path.slice('/doi/'.length));
      if (doi === '10.5555/slow') return hang();
      if (doi === '10.5555/loop') return send(302, 'text/html', '', { Location: `/doi/${doi}` });
      if (doi === '10.5555/server-error') return send(500, 'text/html', '<h1>Internal Server Error</h1>');
      if (doi === '10.5555/busy') return send(302, 'text/html', '', { Location: `/ra/no-csl/${doi}` });
      if (doi === '10.5555/broken') return send(302, 'text/html', '', { Location: `/ra/crossref/${doi}` });
      const entry = DOIS[doi.toLowerCase()];
      if (!entry) return send(404, 'text/html;charset=utf-8', NOT_FOUND_HTML);
      const wantsCsl = /application\/vnd\.citationstyles\.csl\+json/.test(request.headers.accept ?? '');
      const target = !wantsCsl || entry.agency === 'landing-page' ? `/landing/${doi}` : `/ra/${entry.agency}/${doi}`;
      return send(302, 'text/html;charset=utf-8', `<html><body>Handle Redirect <a href="${target}">${target}</a></body></html>`, { Location: target });
    }
    if (path.startsWith('/ra/')) {
      const [, , agency, ...rest] = path.split('/');
      const doi = decodePath(rest.join('/'));
      if (doi === '10.5555/broken') return send(200, 'application/vnd.citationstyles.csl+json', '{"type": "article", "title": ');
      const entry = DOIS[doi.toLowerCase()];
      if (agency === 'no-csl' || !entry?.csl) return send(406, 'text/plain', 'Not Acceptable: the registration agency cannot serve this content type');
      return send(200, 'application/vnd.citationstyles.csl+json', JSON.stringify(entry.csl));
    }
    if (path.startsWith('/landing/')) return send(200, 'text/html; charset=utf-8', '<!DOCTYPE html><html><head><title>Publisher page</title></head><body>An article</body></html>');
    if (path.startsWith('/crossref/works/')) {
      const doi = decodePath(path.slice('/crossref/works/'.length));
      if (doi === '10.5555/broken') return send(200, 'text/html', '<html>Maintenance</html>');
      if (doi === '10.5555/server-error') return send(500, 'text/plain', 'Internal Server Error');
      // Busy once: 429 with a Retry-After, as Crossref's rate limit answers.
      if (doi === '10.5555/busy' && !state.busyServed) {
        state.busyServed = true;
        return send(429, 'text/plain', 'Too Many Requests', { 'Retry-After': '1' });
      }
      const entry = DOIS[doi.toLowerCase()];
      if (!entry?.crossref) return send(404, 'text/plain', 'Resource not found.');
      return send(200, 'application/json', JSON.stringify(entry.crossref));
    }
    if (path === '/openreview/notes') {
      const id = url.searchParams.get('id') ?? '';
      const notes = openReviewNote.notes.filter((note) => note.id === id);
      if (notes.length === 0) return send(404, 'application/json', JSON.stringify({ name: 'NotFoundError', message: `The Note ${id} was not found`, status: 404 }));
      return send(200, 'application/json', JSON.stringify({ notes, count: notes.length }));
    }
    send(404, 'text/plain', 'Not found');
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    endpoints: { arxivApi: `${origin}/arxiv/api/query`, doiResolver: `${origin}/doi`, crossrefApi: `${origin}/crossref`, openReviewApi: `${origin}/openreview` },
    requests,
    get arxivMode() {
      return state.arxivMode;
    },
    set arxivMode(mode: ArxivMode) {
      state.arxivMode = mode;
    },
    get errorStatus() {
      return state.errorStatus;
    },
    set errorStatus(status: 200 | 400) {
      state.errorStatus = status;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    setArxivPaper: (paper) => arxiv.set(paper.id, { ...paper }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The DOI of a path whose segments were percent-encoded one by one. */
function decodePath(path: string): string {
  return path.split('/').map(decodeURIComponent).join('/');
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] as string);
}

function feedHead(query: string, total: number): string {
  return [
    `<?xml version='1.0' encoding='UTF-8'?>`,
    `<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">`,
    `  <id>https://arxiv.org/api/dOuBlE</id>`,
    `  <title>arXiv Query: ${escapeXml(query)}</title>`,
    `  <updated>2025-03-01T00:00:00Z</updated>`,
    `  <link href="https://arxiv.org/api/query?${escapeXml(query)}" type="application/atom+xml"/>`,
    `  <opensearch:itemsPerPage>${Math.max(total, 1)}</opensearch:itemsPerPage>`,
    `  <opensearch:totalResults>${total}</opensearch:totalResults>`,
    `  <opensearch:startIndex>0</opensearch:startIndex>`,
  ].join('\n');
}

function feed(ids: string[], papers: ArxivPaper[]): string {
  const entries = papers.map((paper) => {
    const versioned = `${paper.id}v${paper.version}`;
    return [
      '  <entry>',
      `    <id>http://arxiv.org/abs/${versioned}</id>`,
      `    <title>${escapeXml(paper.title)}</title>`,
      `    <updated>${paper.updated}</updated>`,
      `    <link href="https://arxiv.org/abs/${versioned}" rel="alternate" type="text/html"/>`,
      `    <link href="https://arxiv.org/pdf/${versioned}" rel="related" type="application/pdf" title="pdf"/>`,
      ...(paper.doi ? [`    <link href="https://doi.org/${escapeXml(paper.doi)}" rel="related" title="doi"/>`] : []),
      `    <summary>${escapeXml(paper.summary)}</summary>`,
      ...paper.categories.map((term) => `    <category term="${term}" scheme="http://arxiv.org/schemas/atom"/>`),
      `    <published>${paper.published}</published>`,
      ...(paper.comment ? [`    <arxiv:comment>${escapeXml(paper.comment)}</arxiv:comment>`] : []),
      ...(paper.journalRef ? [`    <arxiv:journal_ref>${escapeXml(paper.journalRef)}</arxiv:journal_ref>`] : []),
      ...(paper.doi ? [`    <arxiv:doi>${escapeXml(paper.doi)}</arxiv:doi>`] : []),
      `    <arxiv:primary_category term="${paper.primary}"/>`,
      ...paper.authors.map((name) => `    <author>\n      <name>${escapeXml(name)}</name>\n    </author>`),
      '  </entry>',
    ].join('\n');
  });
  return `${feedHead(`search_query=&id_list=${ids.join(',')}&start=0&max_results=${ids.length}`, papers.length)}\n${entries.join('\n')}${entries.length ? '\n' : ''}</feed>\n`;
}

function errorFeed(id: string): string {
  const anchor = `https://arxiv.org/api/errors#incorrect_id_format_for_${escapeXml(id)}`;
  return `${feedHead(`search_query=&id_list=${id}`, 1)}
  <entry>
    <id>${anchor}</id>
    <title>Error</title>
    <updated>2025-03-01T00:00:00Z</updated>
    <link href="${anchor}" rel="alternate" type="text/html"/>
    <summary>incorrect id format for ${escapeXml(id)}</summary>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>
</feed>
`;
}
