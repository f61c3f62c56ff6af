import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { arxivEntryToRecord, parseArxivFeed } from '../../src/core/identifiers/arxiv';
import { recordFromCrossref, recordFromCslJson } from '../../src/core/identifiers/doi';
import { recordFromOpenReview } from '../../src/core/identifiers/openreview';
import { MalformedAnswer, nameFromText, plainText } from '../../src/core/identifiers/record';
import { parseXml, textContent } from '../../src/core/identifiers/xml';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/identifiers', name), 'utf8');
const json = (name: string): unknown => JSON.parse(fixture(name));

describe('XML reader', () => {
  it('resolves namespaces declared on the root and on each element', () => {
    const { root, problems } = parseXml('<a xmlns="urn:x" xmlns:p="urn:p"><p:b/><c xmlns:p="urn:q"><p:d>t</p:d></c></a>');
    assert.deepEqual(problems, []);
    assert.equal(root?.namespace, 'urn:x');
    const [b, c] = root?.nodes as { name: string; namespace: string; nodes: unknown[] }[];
    assert.deepEqual([b.name, b.namespace], ['b', 'urn:p']);
    assert.deepEqual([(c.nodes[0] as { namespace: string }).namespace], ['urn:q']);
  });

  it('decodes entities and CDATA once and never expands a DTD entity', () => {
    const { root } = parseXml('<!DOCTYPE a [<!ENTITY x "boom">]><a>&lt;b&gt; &amp;amp; &#233;&#x1F600; &x; <![CDATA[<raw & text>]]></a>');
    assert.ok(root);
    assert.equal(textContent(root), '<b> &amp; é😀 &x; <raw & text>');
  });

  it('reads broken markup as far as it goes and says what was wrong', () => {
    const { root, problems } = parseXml('<a><b>one<c>two</b><d attr=unquoted/>three');
    assert.ok(root);
    assert.equal(textContent(root), 'onetwothree');
    assert.deepEqual(problems, ['<c> is closed by </b>', '<a> is never closed']);
    assert.deepEqual(parseXml('not xml at all').problems, ['there is no element in it']);
  });
});

describe('arXiv Atom feed', () => {
  it('reads an entry of the shape the user manual shows: wrapped text, authors, categories, comment', () => {
    const feed = parseArxivFeed(fixture('arxiv-manual-shape.xml'));
    assert.equal(feed.totalResults, 1);
    assert.deepEqual(feed.errors, []);
    const [entry] = feed.entries;
    assert.equal(entry.id, '2501.01234');
    assert.equal(entry.version, 2);
    assert.equal(entry.title, 'Credit Where It Is Due: Token-Level Rewards for Multi-Turn Language Agents');
    assert.equal(
      entry.summary,
      'Reinforcement learning for language agents assigns one reward to a whole episode, so the model cannot tell which turn earned it. We propose a token-level credit assignment that uses the <value> of each turn & its successors.\n\nA second paragraph reports results on $\\alpha$-tuned baselines.',
    );
    assert.deepEqual(entry.authors.map((author) => author.name), ['Ada Lovelace', 'Mihaela van der Schaar', 'José Núñez Jr.']);
    assert.deepEqual(entry.authors[0].affiliations, ['Analytical Engines Ltd']);
    assert.deepEqual(entry.categories, ['cs.LG', 'cs.AI', 'stat.ML']);
    assert.equal(entry.comment, '12 pages, 4 figures; v2 fixes Table 3');

    const record = arxivEntryToRecord(entry);
    assert.deepEqual(record, {
      type: 'article',
      title: 'Credit Where It Is Due: Token-Level Rewards for Multi-Turn Language Agents',
      author: [
        { family: 'Lovelace', given: 'Ada' },
        { family: 'Schaar', given: 'Mihaela', 'non-dropping-particle': 'van der' },
        { family: 'Núñez', given: 'José', suffix: 'Jr.' },
      ],
      issued: { 'date-parts': [[2025, 1, 2]] },
      abstract: entry.summary,
      publisher: 'arXiv',
      genre: 'Preprint',
      number: 'arXiv:2501.01234',
      DOI: '10.48550/arXiv.2501.01234',
      URL: 'https://arxiv.org/abs/2501.01234',
      version: '2',
      keyword: 'cs.LG, cs.AI, stat.ML',
      custom: { 'arxiv-id': '2501.01234', 'arxiv-published': '2025-01-02T17:04:11Z', 'arxiv-updated': '2025-01-15T09:30:00Z', 'arxiv-primary-category': 'cs.LG', 'arxiv-comment': '12 pages, 4 figures; v2 fixes Table 3' },
    });
  });

  it('reads the current shape (namespaces on the root): a published paper and an old-style id', () => {
    const { entries } = parseArxivFeed(fixture('arxiv-published.xml'));
    assert.deepEqual(entries.map((entry) => [entry.id, entry.version]), [['2309.05678', 3], ['math/0309136', 1]]);
    const published = arxivEntryToRecord(entries[0]);
    assert.equal(published.type, 'article-journal');
    assert.equal(published['container-title'], 'Journal of Machine Learning Research 25 (2024) 1-30', 'the journal reference is the venue');
    assert.equal(published.DOI, '10.1234/jmlr.2024.0042', "the journal's DOI, not the arXiv one");
    assert.equal(published.publisher, undefined);
    assert.deepEqual(published.issued, { 'date-parts': [[2024]] }, "the journal's year");
    assert.equal(published.custom?.['arxiv-published'], '2023-09-11T12:00:00Z');
    const old = arxivEntryToRecord(entries[1]);
    assert.deepEqual(old.author, [{ literal: 'The Knot Theory Collaboration' }]);
    assert.equal(old.number, 'arXiv:math/0309136');
    assert.equal(old.keyword, 'math.GT, math.QA');
    assert.equal(old.abstract, 'We study knots in thickened surfaces.');
  });

  it("reads arXiv's errors, which come as entries, and an empty feed for an unknown id", () => {
    assert.deepEqual(parseArxivFeed(fixture('arxiv-error.xml')), { entries: [], errors: ['incorrect id format for 1234.12345'], totalResults: 1 });
    assert.deepEqual(parseArxivFeed(fixture('arxiv-empty.xml')), { entries: [], errors: [], totalResults: 0 });
  });

  it('refuses an answer that is no Atom feed', () => {
    for (const body of ['<html><body>Service Unavailable</body></html>', '', '{"not": "xml"}', '<feed>no namespace</feed>']) {
      assert.throws(() => parseArxivFeed(body), MalformedAnswer, body);
    }
  });

  it('keeps hostile text as text', () => {
    const xml = fixture('arxiv-manual-shape.xml').replace('Credit Where It Is Due', '&lt;img src=x onerror=alert(1)&gt; [Click me](command:x)');
    const [entry] = parseArxivFeed(xml).entries;
    assert.ok(entry.title.startsWith('<img src=x onerror=alert(1)> [Click me](command:x)'));
  });
});

describe('DOI metadata', () => {
  it('cleans a Crossref REST work: CSL type, first title with subtitle, JATS abstract, names, dates, no foreign keys', () => {
    const record = recordFromCrossref(json('crossref-work.json'));
    assert.deepEqual(record, {
      type: 'article-journal',
      publisher: 'Association for Computing Machinery',
      issue: '7',
      'container-title-short': 'Commun. ACM',
      abstract: 'Agents that learn from sparse rewards & delayed feedback\n\nneed credit assignment.',
      DOI: '10.1145/3650000.3650001',
      page: '88-97',
      source: 'Crossref',
      title: 'Learning to Assign Credit: A Survey for Practitioners',
      volume: '67',
      author: [
        { family: 'Johnson', given: 'Katherine' },
        { family: 'Turing', given: 'Alan', suffix: 'Jr.' },
        { literal: 'The Credit Assignment Working Group' },
      ],
      'container-title': 'Communications of the ACM',
      language: 'en',
      URL: 'https://doi.org/10.1145/3650000.3650001',
      ISSN: '0001-0782, 1557-7317',
      issued: { 'date-parts': [[2024, 6, 24]] },
      keyword: 'General Computer Science',
    });
  });

  it('reads a posted preprint: flat date parts, empty container, HTML in the title', () => {
    const record = recordFromCrossref(json('crossref-posted-content.json'));
    assert.equal(record.type, 'article');
    assert.equal(record.genre, 'Preprint');
    assert.equal(record.title, 'Dopamine and Temporal-Difference Errors in Mice');
    assert.equal(record['container-title'], undefined);
    assert.deepEqual(record.issued, { 'date-parts': [[2024, 2, 3]] });
  });

  it('reads CSL-JSON from content negotiation (Crossref and DataCite)', () => {
    const acl = recordFromCslJson(json('doi-crossref-csl.json'));
    assert.equal(acl.type, 'paper-conference');
    assert.equal(acl.title, 'Turn-Level Credit for Dialogue Agents');
    assert.deepEqual(acl.author, [{ family: 'Spärck Jones', given: 'Karen' }, { family: 'Chomsky', given: 'Noam' }]);
    assert.equal(acl.event, acl['container-title']);
    assert.deepEqual(acl.issued, { 'date-parts': [[2024]] });
    assert.equal(Object.hasOwn(acl, 'indexed') || Object.hasOwn(acl, 'link') || Object.hasOwn(acl, 'reference-count'), false);
    const datacite = recordFromCslJson(json('doi-datacite-arxiv.json'));
    assert.equal(datacite.type, 'article');
    assert.equal(datacite.DOI, '10.48550/ARXIV.2501.01234');
    assert.equal(datacite.keyword, 'Machine Learning (cs.LG), FOS: Computer and information sciences');
    assert.equal(Object.hasOwn(datacite, 'id'), false, 'the id is the citation key, given later');
  });

  it('maps Crossref type names met in content negotiation too, and unknown types to "document"', () => {
    assert.equal(recordFromCslJson({ type: 'proceedings-article', title: 'x' }).type, 'paper-conference');
    assert.equal(recordFromCslJson({ type: 'something-new', title: 'x' }).type, 'document');
  });

  it('refuses answers of the wrong shape', () => {
    assert.throws(() => recordFromCrossref({ status: 'failed', message: 'x' }), MalformedAnswer);
    assert.throws(() => recordFromCrossref({ status: 'ok', 'message-type': 'work-list', message: {} }), MalformedAnswer);
    assert.throws(() => recordFromCslJson([]), MalformedAnswer);
    assert.throws(() => recordFromCslJson({ type: 'article' }), MalformedAnswer, 'neither title nor authors');
  });

  it('drops a URL that is no http(s) address and unsafe keys', () => {
    const record = recordFromCslJson(JSON.parse('{"type": "article", "title": "t", "URL": "javascript:alert(1)", "__proto__": {"polluted": true}, "constructor": "x"}'));
    assert.equal(record.URL, undefined);
    assert.equal(Object.hasOwn(record, 'constructor') || Object.hasOwn(record, '__proto__'), false);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('OpenReview notes', () => {
  it('reads an accepted paper of API 2: venue from its BibTeX, authors, keywords, date', () => {
    const record = recordFromOpenReview(json('openreview-note.json'), 'Hk3aB9xYz0');
    assert.deepEqual(record, {
      type: 'paper-conference',
      title: 'Exploration by Random Distillation, Revisited',
      author: [{ family: 'Liskov', given: 'Barbara' }, { family: 'Dijkstra', given: 'Edsger W.' }],
      issued: { 'date-parts': [[2024, 1, 17]] },
      abstract: 'We revisit random network distillation and find it works.',
      'container-title': 'The Twelfth International Conference on Learning Representations',
      publisher: 'OpenReview',
      URL: 'https://openreview.net/forum?id=Hk3aB9xYz0',
      keyword: 'exploration, intrinsic motivation',
    });
  });

  it('reads a submission of API 1 as a manuscript that says where it was submitted', () => {
    const record = recordFromOpenReview(json('openreview-submitted-v1.json'), 'SyxQ2bCcY7');
    assert.equal(record?.type, 'manuscript');
    assert.equal(record?.genre, 'Submitted to ICLR 2019');
    assert.equal(record?.abstract, 'Something bold.');
    assert.deepEqual(record?.issued, { 'date-parts': [[2019]] });
  });

  it('gives nothing for an id it does not hold and refuses other shapes', () => {
    assert.equal(recordFromOpenReview({ notes: [] }, 'abc12'), undefined);
    assert.throws(() => recordFromOpenReview({ name: 'NotFoundError' }, 'abc12'), MalformedAnswer);
  });
});

describe('names and markup', () => {
  it('splits names written in one string', () => {
    assert.deepEqual(nameFromText('Wenxuan Zhou'), { family: 'Zhou', given: 'Wenxuan' });
    assert.deepEqual(nameFromText('Ludwig van Beethoven'), { family: 'Beethoven', given: 'Ludwig', 'non-dropping-particle': 'van' });
    assert.deepEqual(nameFromText('Plato'), { family: 'Plato' });
    assert.deepEqual(nameFromText('Hopper, Grace'), { family: 'Hopper', given: 'Grace' });
    assert.deepEqual(nameFromText('OpenAI Team'), { literal: 'OpenAI Team' });
    assert.equal(nameFromText('   '), undefined);
  });

  it('turns markup into text and keeps escaped markup as text', () => {
    assert.equal(plainText('<p>a <i>b</i></p><p>c &lt;script&gt;</p>'), 'a b\n\nc <script>');
    assert.equal(plainText('x < y and y > z'), 'x < y and y > z');
  });
});
