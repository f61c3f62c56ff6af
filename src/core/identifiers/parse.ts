/**
 * Paper identifiers as people paste them: arXiv ids (`2412.02685`, `arXiv:2412.02685v2`, old-style
 * `math.GT/0309136`), arXiv links (`/abs/`, `/pdf/`, `/html/`), arXiv DOIs (`10.48550/arXiv.…`), DOIs
 * and DOI links (`doi.org`, `dx.doi.org`, publisher pages with the DOI in their path), OpenReview
 * links (`forum?id=`, `pdf?id=`) and ACL Anthology links and ids (whose DOIs are `10.18653/v1/<id>`),
 * alone or in lists and running text.
 */

export type Identifier =
  | { kind: 'arxiv'; /** Without its version: `2412.02685`, `math/0309136`. */ id: string; version?: number }
  | { kind: 'doi'; doi: string; /** The ACL Anthology id the DOI was made from. */ anthology?: string }
  | { kind: 'openreview'; id: string };

export interface FoundIdentifier {
  identifier: Identifier;
  /** The text it was read from, as the user wrote it. */
  input: string;
}

export interface FoundIdentifiers {
  /** Each paper once, in the order of first mention. */
  found: FoundIdentifier[];
  /** Pieces of the text that look like no identifier (words, unknown links), as written. */
  unrecognised: string[];
}

/** Archives of the identifiers before April 2007 (`hep-th/9901001`); the subject class is optional. */
const OLD_ARCHIVES = [
  'acc-phys', 'adap-org', 'alg-geom', 'ao-sci', 'astro-ph', 'atom-ph', 'bayes-an', 'chao-dyn', 'chem-ph', 'cmp-lg', 'comp-gas',
  'cond-mat', 'cs', 'dg-ga', 'funct-an', 'gr-qc', 'hep-ex', 'hep-lat', 'hep-ph', 'hep-th', 'math', 'math-ph', 'mtrl-th', 'nlin',
  'nucl-ex', 'nucl-th', 'patt-sol', 'physics', 'plasm-ph', 'q-alg', 'q-bio', 'quant-ph', 'solv-int', 'supr-con',
];
const OLD_ID = `(?:${OLD_ARCHIVES.join('|')})(?:\\.[A-Za-z]{2})?\\/\\d{7}`;
const NEW_ID = '\\d{4}\\.\\d{4,5}';
const ARXIV_ID = new RegExp(`^(${NEW_ID}|${OLD_ID})(?:v(\\d+))?$`, 'i');
const DOI = /^10\.\d{4,9}\/\S+$/;
const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;
const ACL_DOI = /^10\.18653\/v1\/(.+)$/i;
/** `2024.acl-long.123` (from 2020) and `P19-1001` (before). */
const ACL_ID = /^(?:\d{4}\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.\d+|[A-Z]\d{2}-\d{4})$/;
const OPENREVIEW_ID = /^[A-Za-z0-9_-]{5,32}$/;

/**
 * Candidates in running text, tried left to right: links (also without `https://` for the sites
 * Lit Notes reads), `arXiv:` ids, DOIs, bare arXiv ids, new-style ACL Anthology ids.
 */
const CANDIDATE = new RegExp(
  [
    String.raw`(?:https?:\/\/|\b(?:(?:www|export|dx)\.)?(?:arxiv\.org|doi\.org|openreview\.net|aclanthology\.org)\/)[^\s<>"'\x60]+`,
    String.raw`\barxiv:\s?(?:${NEW_ID}|${OLD_ID})(?:v\d+)?`,
    String.raw`(?:\bdoi:\s?)?\b10\.\d{4,9}\/[^\s"<>\x60]+`,
    String.raw`\b(?:${NEW_ID}|${OLD_ID})(?:v\d+)?\b`,
    String.raw`\b\d{4}\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.\d+\b`,
  ].join('|'),
  'gi',
);
/** Where a list item ends inside a DOI or link: a comma or semicolon before the next identifier. */
const NEXT_IN_LIST = new RegExp(String.raw`[,;](?=\s*(?:https?:|doi:|arxiv:|10\.\d{4,9}\/|${NEW_ID}\b|${OLD_ID}|\d{4}\.[a-z]))`, 'i');
const SEPARATORS = /^[\s,;|]*$/;

/** Reads one identifier (a whole token); undefined when the text is none. */
export function parseIdentifier(raw: string): Identifier | undefined {
  const text = trimToken(raw);
  if (!text) return undefined;
  const prefixed = /^arxiv:\s*(.+)$/i.exec(text);
  if (prefixed) return arxivIdentifier(prefixed[1]);
  const bare = arxivIdentifier(text);
  if (bare) return bare;
  if (/^(?:https?:\/\/|(?:(?:www|export|dx)\.)?(?:arxiv\.org|doi\.org|openreview\.net|aclanthology\.org)\/)/i.test(text)) return fromUrl(text);
  const doi = /^(?:doi:\s*)?(10\.\S+)$/i.exec(text)?.[1];
  if (doi) return fromDoi(doi);
  if (ACL_ID.test(text)) return aclIdentifier(text);
  return undefined;
}

/** Every identifier in a text: a pasted list (lines, commas, spaces) or a passage of a note. */
export function findIdentifiers(text: string): FoundIdentifiers {
  const found: FoundIdentifier[] = [];
  const unrecognised: string[] = [];
  const seen = new Set<string>();
  const gap = (piece: string) => {
    for (const word of piece.split(/[\s,;|]+/)) {
      const trimmed = trimToken(word);
      if (trimmed && !SEPARATORS.test(trimmed)) unrecognised.push(trimmed);
    }
  };
  const pattern = new RegExp(CANDIDATE.source, CANDIDATE.flags);
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    let candidate = match[0];
    const cut = NEXT_IN_LIST.exec(candidate);
    if (cut) candidate = candidate.slice(0, cut.index);
    candidate = trimTrailing(candidate);
    if (!candidate) {
      pattern.lastIndex = match.index + 1;
      continue;
    }
    pattern.lastIndex = match.index + candidate.length;
    gap(text.slice(last, match.index));
    last = pattern.lastIndex;
    const identifier = parseIdentifier(candidate);
    if (!identifier) {
      unrecognised.push(candidate);
      continue;
    }
    const key = identifierKey(identifier);
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ identifier, input: candidate });
  }
  gap(text.slice(last));
  return { found, unrecognised };
}

/** One string per paper, for telling two mentions of the same paper apart: `arxiv:2412.02685`, `doi:10.1000/x`. */
export function identifierKey(identifier: Identifier): string {
  switch (identifier.kind) {
    case 'arxiv':
      return `arxiv:${identifier.id.toLowerCase()}`;
    case 'doi':
      return `doi:${identifier.doi.toLowerCase()}`;
    case 'openreview':
      return `openreview:${identifier.id}`;
  }
}

/** How messages name an identifier: `arXiv:2412.02685v2`, `DOI 10.1000/x`, `ACL Anthology 2024.acl-long.1`, `OpenReview abc123`. */
export function identifierLabel(identifier: Identifier): string {
  switch (identifier.kind) {
    case 'arxiv':
      return `arXiv:${identifier.id}${identifier.version ? `v${identifier.version}` : ''}`;
    case 'doi':
      return identifier.anthology ? `ACL Anthology ${identifier.anthology}` : `DOI ${identifier.doi}`;
    case 'openreview':
      return `OpenReview ${identifier.id}`;
  }
}

/** The arXiv DOI every arXiv paper has (DataCite): `10.48550/arXiv.2412.02685`. */
export function arxivDoi(id: string): string {
  return `10.48550/arXiv.${id}`;
}

function arxivIdentifier(text: string): Identifier | undefined {
  const match = ARXIV_ID.exec(text.trim());
  if (!match) return undefined;
  const id = canonicalArxivId(match[1]);
  if (!id) return undefined;
  return match[2] ? { kind: 'arxiv', id, version: Number(match[2]) } : { kind: 'arxiv', id };
}

/**
 * The id as arXiv writes it, or undefined when it cannot exist: a month over 12, a 4-digit number
 * after 2014 or a 5-digit one before. Old-style ids lose their subject class (`math.GT/0309136` is
 * `math/0309136`), as arXiv's own preferred form does.
 */
function canonicalArxivId(raw: string): string | undefined {
  const slash = raw.indexOf('/');
  if (slash >= 0) {
    const archive = raw.slice(0, slash).split('.')[0].toLowerCase();
    const number = raw.slice(slash + 1);
    const [year, month] = [Number(number.slice(0, 2)), Number(number.slice(2, 4))];
    if (month < 1 || month > 12 || (year > 7 && year < 91)) return undefined;
    return `${archive}/${number}`;
  }
  const [yymm, sequence] = raw.split('.');
  const month = Number(yymm.slice(2));
  if (month < 1 || month > 12 || Number(yymm) < 704) return undefined;
  const fiveDigits = Number(yymm) >= 1501;
  return sequence.length === (fiveDigits ? 5 : 4) ? raw : undefined;
}

function fromDoi(raw: string): Identifier | undefined {
  const doi = trimTrailing(raw.trim());
  if (!DOI.test(doi)) return undefined;
  const arxiv = ARXIV_DOI.exec(doi);
  if (arxiv) return arxivIdentifier(arxiv[1]);
  const acl = ACL_DOI.exec(doi)?.[1];
  return acl && ACL_ID.test(acl) ? { kind: 'doi', doi, anthology: acl } : { kind: 'doi', doi };
}

function aclIdentifier(id: string): Identifier {
  return { kind: 'doi', doi: `10.18653/v1/${id}`, anthology: id };
}

function fromUrl(text: string): Identifier | undefined {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  if (host === 'arxiv.org' || host.endsWith('.arxiv.org')) {
    const match = /^\/(?:abs|pdf|html|format|ps|src)\/(.+?)(?:\.pdf)?\/?$/i.exec(path);
    return match ? arxivIdentifier(match[1]) : undefined;
  }
  if (host === 'doi.org' || host === 'dx.doi.org') return fromDoi(path.replace(/^\//, ''));
  if (host === 'openreview.net') {
    const id = url.searchParams.get('id') ?? url.searchParams.get('noteId');
    return /^\/(?:forum|pdf|attachment)\/?$/.test(path) && id && OPENREVIEW_ID.test(id) ? { kind: 'openreview', id } : undefined;
  }
  const anthology = host === 'aclanthology.org' ? /^\/([^/]+?)(?:\.pdf|\.bib)?\/?$/.exec(path)?.[1] : host === 'aclweb.org' ? /^\/anthology\/([^/]+?)(?:\.pdf|\.bib)?\/?$/.exec(path)?.[1] : undefined;
  if (anthology !== undefined) return ACL_ID.test(anthology) ? aclIdentifier(anthology) : undefined;
  // Publishers' pages often carry the DOI in their path: /doi/10.1145/…, /article/10.1007/….
  const doi = /\/(10\.\d{4,9}\/.+)$/.exec(path)?.[1];
  return doi ? fromDoi(doi.replace(/\/$/, '')) : undefined;
}

/** Strips what wraps a pasted token: quotes, brackets, angle brackets, a trailing full stop. */
function trimToken(raw: string): string {
  return trimTrailing(raw.trim().replace(/^[<("'\x60[{]+/, '').replace(/[>"'\x60]+$/, ''));
}

/** Drops trailing punctuation and closing brackets that have no opening one inside. */
function trimTrailing(text: string): string {
  let result = text;
  for (;;) {
    const last = result[result.length - 1];
    if (last === undefined) return result;
    if ('.,;:!?\'"'.includes(last)) {
      result = result.slice(0, -1);
      continue;
    }
    const open = { ')': '(', ']': '[', '}': '{' }[last];
    if (open && count(result, open) < count(result, last)) {
      result = result.slice(0, -1);
      continue;
    }
    return result;
  }
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
