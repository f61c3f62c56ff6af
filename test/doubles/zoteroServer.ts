/**
 * A stand-in for a running Zotero 7: its local API on 127.0.0.1 (a free port), answering as
 * Zotero's `server_localAPI.js` and `server.js` do, by the facts of Zotero's documentation and its
 * tests (`test/tests/server_localAPITest.js`): HTTP/1.0 answers without Content-Length, closed after
 * each; `Zotero-API-Version`, `Total-Results`, `Link`, `Last-Modified-Version`; 304 for
 * `If-Modified-Since-Version`; 403 "Local API is not enabled"; `since`, `limit`/`start`, `sort`/
 * `direction`, `itemType`/`tag` search syntax (`-x`, `a || b`), `itemKey`, `format=json|keys|versions`,
 * `include`; item, collection, tag, group and annotation JSON. The library is scriptable (add, edit,
 * move, trash, delete; a sync with zotero.org), with a generated library of any size, the
 * Zotero 7.0 quirks as a mode, and failures on demand (the connection cut mid-answer, broken JSON,
 * Zotero gone). Only GET is answered, as Zotero 7 does.
 */
import * as net from 'node:net';
import { generateLibrary } from '../../bench/generate';

export interface DoubleOptions {
  /** Zotero 7.0.x: `itemType=annotation` matches nothing; `since=0` leaves out version-0 objects; `If-Modified-Since-Version: 0` answers 304. */
  zotero70?: boolean;
  /** List trashed items among the items too (with `deleted: true`), as some versions do; by default only `/items/trash` lists them. */
  trashListed?: boolean;
  /** The local API setting off: every API request answers 403. */
  disabled?: boolean;
  /** The user syncs with zotero.org: objects have versions, and `sync()` gives changed ones new ones. Default: never logged in, every version 0. */
  syncing?: boolean;
  /** The port to listen on (0: a free one). */
  port?: number;
}

export interface Creator {
  creatorType: string;
  firstName?: string;
  lastName?: string;
  name?: string;
}

type Json = Record<string, unknown>;

interface StoredObject {
  kind: 'item' | 'collection';
  key: string;
  version: number;
  /** Changed since the last sync with zotero.org. */
  unsynced: boolean;
  data: Json;
}

export type Failure =
  /** Half the body, then the connection closed normally: the answer looks whole but its JSON is cut. */
  | 'cut'
  /** Half the body, then the connection reset. */
  | 'reset'
  /** A body that is not JSON. */
  | 'malformed';

/** The fields every item type has, and the fields of the types the tests use, as Zotero's JSON lists them (empty when unset). */
const COMMON_FIELDS = ['title', 'abstractNote', 'date', 'url', 'accessDate', 'shortTitle', 'language', 'rights', 'extra', 'citationKey'];
const TYPE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  journalArticle: ['publicationTitle', 'volume', 'issue', 'pages', 'series', 'seriesTitle', 'journalAbbreviation', 'DOI', 'ISSN', 'archive', 'archiveLocation', 'libraryCatalog', 'callNumber'],
  conferencePaper: ['proceedingsTitle', 'conferenceName', 'place', 'publisher', 'volume', 'pages', 'series', 'DOI', 'ISBN', 'archive', 'archiveLocation', 'libraryCatalog', 'callNumber'],
  preprint: ['genre', 'repository', 'archiveID', 'place', 'series', 'seriesNumber', 'DOI', 'archive', 'archiveLocation', 'libraryCatalog', 'callNumber'],
  book: ['series', 'seriesNumber', 'volume', 'numberOfVolumes', 'edition', 'place', 'publisher', 'numPages', 'ISBN', 'DOI', 'archive', 'archiveLocation', 'libraryCatalog', 'callNumber'],
  bookSection: ['bookTitle', 'series', 'seriesNumber', 'volume', 'numberOfVolumes', 'edition', 'place', 'publisher', 'pages', 'ISBN', 'DOI', 'archive', 'archiveLocation', 'libraryCatalog', 'callNumber'],
  thesis: ['thesisType', 'university', 'place', 'numPages', 'DOI', 'archive', 'archiveLocation', 'libraryCatalog', 'callNumber'],
  report: ['reportNumber', 'reportType', 'seriesTitle', 'place', 'institution', 'pages', 'DOI', 'archive', 'archiveLocation', 'libraryCatalog', 'callNumber'],
  webpage: ['websiteTitle', 'websiteType'],
};

const KEY_CHARS = '23456789ABCDEFGHIJKLMNPQRSTUVWXYZ';
const SORTABLE = new Set(['dateAdded', 'dateModified', 'title', 'creator', 'itemType', 'date']);

export class ZoteroDouble {
  private server?: net.Server;
  private readonly objects = new Map<string, StoredObject>();
  /** Parent key → child keys: a library of 10,000 items is answered without scanning it per item. */
  private readonly children = new Map<string, Set<string>>();
  /** Counted and listed once per request. */
  private counts?: Map<string, number>;
  private lists?: { items: StoredObject[]; collections: StoredObject[] };
  private libraryVersion = 0;
  private clock = Date.parse('2025-01-01T00:00:00Z');
  private nextKey = 0;
  private readonly failures: Failure[] = [];
  private goneAfter?: number;
  private readonly sockets = new Set<net.Socket>();
  /** Every request's path and query, in order. */
  readonly requests: string[] = [];
  /** The methods requests came with: the tests check that nothing but GET is ever sent. */
  readonly methods = new Set<string>();
  port = 0;

  /** Group libraries: each a library of its own, served under `/api/groups/<id>/` by the same server. */
  private readonly groups = new Map<number, { name: string; library: ZoteroDouble }>();
  /** Set for a group's library: its id and name, and the server that serves it. */
  private group?: { id: number; name: string; server: ZoteroDouble };

  private constructor(readonly options: DoubleOptions) {}

  static async start(options: DoubleOptions = {}): Promise<ZoteroDouble> {
    const double = new ZoteroDouble(options);
    await double.listen(options.port ?? 0);
    return double;
  }

  get url(): string {
    return this.group ? this.group.server.url : `http://127.0.0.1:${this.port}`;
  }

  private get apiRoot(): string {
    return `${this.url}/api/${this.group ? `groups/${this.group.id}` : 'users/0'}`;
  }

  private get libraryJson(): Json {
    return this.group ? { type: 'group', id: this.group.id, name: this.group.name, links: {} } : { type: 'user', id: 0, name: '', links: {} };
  }

  /** A group library the user belongs to; script it like the user's own. */
  addGroup(id: number, name: string): ZoteroDouble {
    const library = new ZoteroDouble(this.options);
    library.group = { id, name, server: this };
    this.groups.set(id, { name, library });
    return library;
  }

  /** The user leaves a group. */
  leaveGroup(id: number): void {
    this.groups.delete(id);
  }

  /** Zotero quits: the port closes, open connections are cut. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Zotero starts again on the same port, with the same library. */
  async restart(): Promise<void> {
    await this.listen(this.port);
  }

  /** The next answers fail like this, one failure per answer. */
  fail(...failures: Failure[]): void {
    this.failures.push(...failures);
  }

  /** Zotero quits after answering this many more requests. */
  goAwayAfter(requests: number): void {
    this.goneAfter = requests;
  }

  setEnabled(enabled: boolean): void {
    this.options.disabled = !enabled;
  }

  // The library, scripted.

  addCollection(name: string, parent?: string): string {
    const key = this.newKey();
    this.put({ kind: 'collection', key, data: { key, name, parentCollection: parent ?? false, relations: {} } });
    return key;
  }

  renameCollection(key: string, name: string): void {
    this.change(key, { name });
  }

  /** A regular item of `itemType` with these fields; every other field of the type is "" as in Zotero's JSON. */
  addItem(itemType: string, fields: Json = {}, collections: string[] = []): string {
    const key = this.newKey();
    const now = this.tick();
    const blank = Object.fromEntries([...COMMON_FIELDS, ...(TYPE_FIELDS[itemType] ?? [])].map((field) => [field, '']));
    this.put({
      kind: 'item',
      key,
      data: { key, itemType, ...blank, creators: [], tags: [], ...fields, collections, relations: {}, dateAdded: now, dateModified: now },
    });
    return key;
  }

  /** An edit made in Zotero: `dateModified` moves; the version only at the next sync (a local edit, before Zotero 10). */
  editItem(key: string, fields: Json): void {
    this.change(key, { ...fields, dateModified: this.tick() });
  }

  /** Drag from one collection to another (or add to / remove from one): Zotero changes no `dateModified` for it. */
  moveItem(key: string, from: string | undefined, to: string | undefined): void {
    const collections = (this.object(key).data.collections as string[]).filter((collection) => collection !== from);
    this.change(key, { collections: to && !collections.includes(to) ? [...collections, to] : collections });
  }

  /** Move to Zotero's trash (no `dateModified` change, as Zotero does it). */
  trashItem(key: string): void {
    this.change(key, { deleted: true });
  }

  /** Empty it from the trash, or delete for good: it is simply gone. */
  deleteItem(key: string): void {
    for (const child of this.childrenOf(key)) this.deleteItem(child.key);
    const parent = this.objects.get(key)?.data.parentItem;
    if (typeof parent === 'string') this.children.get(parent)?.delete(key);
    this.objects.delete(key);
  }

  addAttachment(parent: string, fields: Json = {}): string {
    const key = this.newKey();
    const now = this.tick();
    this.put({
      kind: 'item',
      key,
      data: {
        key, parentItem: parent, itemType: 'attachment', linkMode: 'imported_file', title: 'Full Text PDF', accessDate: '', url: '', note: '',
        contentType: 'application/pdf', charset: '', filename: 'paper.pdf', md5: 'a'.repeat(32), mtime: 1700000000000,
        tags: [], relations: {}, dateAdded: now, dateModified: now, ...fields,
      },
    });
    return key;
  }

  addNote(parent: string | undefined, html: string): string {
    const key = this.newKey();
    const now = this.tick();
    this.put({ kind: 'item', key, data: { key, ...(parent && { parentItem: parent }), itemType: 'note', note: html, tags: [], collections: [], relations: {}, dateAdded: now, dateModified: now } });
    return key;
  }

  /**
   * An annotation on an attachment: `pageIndex` (0-based) and `top` make its position and sort
   * index as Zotero's reader does (page, offset in the text, distance from the top).
   */
  addAnnotation(
    attachment: string,
    annotation: { type: string; text?: string; comment?: string; color?: string; pageLabel?: string; pageIndex?: number; offset?: number; top?: number; tags?: string[]; position?: string },
  ): string {
    const key = this.newKey();
    const now = this.tick();
    const pageIndex = annotation.pageIndex ?? 0;
    const sortIndex = [String(pageIndex).padStart(5, '0'), String(annotation.offset ?? 0).padStart(6, '0'), String(annotation.top ?? 0).padStart(5, '0')].join('|');
    this.put({
      kind: 'item',
      key,
      data: {
        key,
        parentItem: attachment,
        itemType: 'annotation',
        annotationType: annotation.type,
        ...(['highlight', 'underline'].includes(annotation.type) && { annotationText: annotation.text ?? '' }),
        annotationComment: annotation.comment ?? '',
        annotationColor: annotation.color ?? '#ffd400',
        annotationPageLabel: annotation.pageLabel ?? String(pageIndex + 1),
        annotationSortIndex: sortIndex,
        annotationPosition: annotation.position ?? JSON.stringify({ pageIndex, rects: [[100, 700 - (annotation.top ?? 0), 300, 712 - (annotation.top ?? 0)]] }),
        tags: (annotation.tags ?? []).map((tag) => ({ tag })),
        relations: {},
        dateAdded: now,
        dateModified: now,
      },
    });
    return key;
  }

  editAnnotation(key: string, fields: Json): void {
    this.change(key, { ...fields, dateModified: this.tick() });
  }

  /** Zotero syncs with zotero.org: the library version moves, and every object new or changed since gets it. */
  sync(): void {
    if (!this.options.syncing) throw new Error('the double was started without `syncing`: a user without an account never syncs');
    this.libraryVersion++;
    for (const object of this.objects.values()) {
      if (!object.unsynced) continue;
      object.version = this.libraryVersion;
      object.data.version = this.libraryVersion;
      object.unsynced = false;
    }
  }

  /**
   * A library of `size` papers from the benchmark's generator (the bundled papers' real text):
   * preprints, conference papers and journal articles, in `collections` collections.
   */
  generate(size: number, collections = 20): string[] {
    const library = generateLibrary(size);
    const collectionKeys = Array.from({ length: collections }, (_, index) => this.addCollection(`Collection ${index + 1}`));
    return library.papers.map((paper, index) => {
      const creators = paper.authors.map((author) => (author.given ? { creatorType: 'author', firstName: author.given, lastName: author.family } : { creatorType: 'author', name: author.family }));
      const preprint = !paper.venue || /arxiv/i.test(paper.venue);
      const fields: Json = { title: paper.title, abstractNote: paper.abstract, creators, date: String(paper.year ?? ''), url: paper.links.arxiv ?? '' };
      if (preprint) Object.assign(fields, { repository: 'arXiv', archiveID: paper.arxivId ? `arXiv:${paper.arxivId}` : '' });
      else Object.assign(fields, { proceedingsTitle: paper.venue });
      return this.addItem(preprint ? 'preprint' : 'conferencePaper', fields, collectionKeys.length ? [collectionKeys[index % collectionKeys.length]] : []);
    });
  }

  // Serving.

  private async listen(port: number): Promise<void> {
    const server = net.createServer((socket) => this.connection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  private connection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [requestLine, ...headerLines] = head.slice(0, end).split('\r\n');
      const headers = new Map(headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const [method, target] = requestLine.split(' ');
      this.respond(socket, method, target ?? '/', headers);
    });
  }

  private answering = false;

  private respond(socket: net.Socket, method: string, target: string, headers: Map<string, string>): void {
    this.requests.push(target);
    this.methods.add(method);
    const url = new URL(target, 'http://127.0.0.1');
    const browser = (headers.get('user-agent') ?? '').startsWith('Mozilla/') || headers.has('origin');
    if (browser && !headers.has('zotero-allowed-request')) {
      // Zotero cancels requests from web pages without a word.
      socket.destroy();
      return;
    }
    this.answering = true;
    const answer = method === 'GET' ? this.route(url, headers) : { status: 400, headers: { 'Content-Type': 'text/plain' }, body: 'Endpoint does not support method\n' };
    this.answering = false;
    this.lists = undefined;
    this.counts = undefined;
    const failure = answer.status === 200 ? this.failures.shift() : undefined;
    let body = answer.body;
    if (failure === 'malformed') body = `${body.slice(0, 20)}<html>Internal error</html>`;
    const lines = [`HTTP/1.0 ${answer.status} ${STATUS_TEXT[answer.status] ?? 'Unknown'}`, 'X-Zotero-Version: 7.0.11', 'X-Zotero-Connector-API-Version: 3'];
    for (const [name, value] of Object.entries(answer.headers)) lines.push(`${name}: ${value}`);
    // As Zotero's server writes it: no Content-Length unless the body is empty; the connection's end ends the body.
    const text = body ? `${lines.join('\r\n')}\r\n\r\n${body}` : `${lines.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`;
    if (failure === 'cut' || failure === 'reset') {
      // The head whole, then half the body.
      const bytes = Buffer.from(text, 'utf8');
      const head = Buffer.byteLength(text.slice(0, text.indexOf('\r\n\r\n') + 4), 'utf8');
      socket.write(bytes.subarray(0, head + Math.floor((bytes.length - head) / 2)), () => (failure === 'cut' ? socket.end() : socket.resetAndDestroy()));
    } else {
      socket.end(text, 'utf8');
    }
    if (this.goneAfter !== undefined && --this.goneAfter <= 0) {
      this.goneAfter = undefined;
      socket.once('close', () => void this.stop());
    }
  }

  private route(url: URL, headers: Map<string, string>): Answer {
    const path = url.pathname;
    if (path.startsWith('/api/')) {
      if (this.options.disabled) return text(403, 'Local API is not enabled');
      const version = headers.get('zotero-api-version') ?? url.searchParams.get('v');
      if (version && version !== '3' && path !== '/api/') return text(501, `API version not implemented: ${version}`);
      if (path === '/api/') return text(200, 'Nothing to see here.');
      const match = /^\/api\/(users|groups)\/(\d+)\/(.*)$/.exec(path);
      if (!match) return notFound();
      if (match[1] === 'users' && match[2] !== '0') return text(400, 'Only data for the logged-in user is available locally -- use userID 0');
      if (match[1] === 'groups') {
        const group = this.groups.get(Number(match[2]));
        return group ? group.library.libraryRoute(match[3].replace(/\/+$/, ''), url.searchParams, headers) : text(404, 'Not found');
      }
      return this.libraryRoute(match[3].replace(/\/+$/, ''), url.searchParams, headers);
    }
    return notFound();
  }

  private libraryRoute(rest: string, params: URLSearchParams, headers: Map<string, string>): Answer {
    // A group's library is answered by the server's request: what it counted for another request is stale.
    if (this.group) this.counts = undefined;
    if (rest === 'groups' && !this.group) {
      const groups: StoredObject[] = [...this.groups].map(([id, { name }]) => ({ kind: 'collection', key: String(id), version: 0, unsynced: false, data: { id, name } }));
      return this.list(groups, new URLSearchParams(), headers, (group) => ({
        id: group.data.id,
        version: 0,
        links: { self: { href: `${this.url}/api/groups/${String(group.data.id)}`, type: 'application/json' } },
        meta: { numItems: this.groups.get(Number(group.data.id))?.library.allItems().length ?? 0 },
        data: { id: group.data.id, version: 0, name: group.data.name, type: 'Private', description: '', url: '', libraryEditing: 'members', libraryReading: 'all', fileEditing: 'members' },
      }));
    }
    if (rest === 'tags') return this.tags(params, headers);
    if (rest === 'collections' || rest === 'collections/top') {
      return this.list(this.collections().filter((c) => rest === 'collections' || c.data.parentCollection === false), params, headers, (c) => this.collectionJson(c));
    }
    let match = /^collections\/([A-Z0-9]{8})(\/collections|\/items(\/top)?)?$/.exec(rest);
    if (match) {
      const collection = this.objects.get(match[1]);
      if (!collection || collection.kind !== 'collection') return text(404, 'Not found');
      if (!match[2]) return this.single(collection, headers, (c) => this.collectionJson(c));
      if (match[2] === '/collections') return this.list(this.collections().filter((c) => c.data.parentCollection === match?.[1]), params, headers, (c) => this.collectionJson(c));
      const inCollection = this.visibleItems(params).filter((item) => (item.data.collections as string[] | undefined)?.includes(collection.key));
      const withChildren = match[3] ? inCollection : [...inCollection, ...inCollection.flatMap((item) => this.childrenOf(item.key))].filter((item) => item.data.itemType !== 'annotation');
      return this.items(withChildren, params, headers);
    }
    match = /^items(\/top|\/trash|\/trash\/top)?$/.exec(rest);
    if (match) {
      const trash = match[1]?.startsWith('/trash') ?? false;
      let items = trash ? this.allItems().filter((item) => isDeleted(item)) : this.visibleItems(params);
      if (match[1]?.endsWith('/top')) items = items.filter((item) => !item.data.parentItem);
      return this.items(items, params, headers);
    }
    match = /^items\/([A-Z0-9]{8})(\/children)?$/.exec(rest);
    if (match) {
      const item = this.objects.get(match[1]);
      if (!item || item.kind !== 'item') return text(404, 'Not found');
      return match[2] ? this.items(this.childrenOf(item.key), params, headers) : this.single(item, headers, (i) => this.itemJson(i));
    }
    return notFound();
  }

  /** Items outside the trash, or with it when asked (`includeTrashed=1`) or when this version lists it anyway. */
  private visibleItems(params: URLSearchParams): StoredObject[] {
    const withTrash = this.options.trashListed || params.get('includeTrashed') === '1';
    return this.allItems().filter((item) => withTrash || !isDeleted(item));
  }

  private items(items: StoredObject[], params: URLSearchParams, headers: Map<string, string>): Answer {
    let found = items;
    for (const value of params.getAll('itemType')) found = found.filter(this.searchSyntax(value, (item) => [String(item.data.itemType)]));
    for (const value of params.getAll('tag')) found = found.filter(this.searchSyntax(value, (item) => ((item.data.tags as { tag: string }[]) ?? []).map((tag) => tag.tag)));
    const keys = params.get('itemKey');
    if (keys) {
      const wanted = new Set(keys.split(','));
      found = found.filter((item) => wanted.has(item.key));
    }
    const q = params.get('q')?.toLowerCase();
    if (q) found = found.filter((item) => `${item.data.title ?? ''} ${JSON.stringify(item.data.creators ?? [])} ${item.data.date ?? ''}`.toLowerCase().includes(q));
    return this.list(found, params, headers, (item) => this.itemJson(item));
  }

  /** Zotero's search syntax for one parameter: "-x" is not x, "a || b" is either. */
  private searchSyntax(value: string, valuesOf: (item: StoredObject) => string[]): (item: StoredObject) => boolean {
    const negate = value.startsWith('-');
    const alternatives = (negate ? value.slice(1) : value.replace(/^\\-/, '-')).split('||').map((part) => part.trim());
    return (item) => {
      const values = valuesOf(item);
      // Zotero 7.0 could not search for annotations by type.
      const matches = alternatives.some((alternative) => values.includes(alternative) && !(this.options.zotero70 && alternative === 'annotation'));
      return negate ? !matches : matches;
    };
  }

  private list(objects: StoredObject[], params: URLSearchParams, headers: Map<string, string>, json: (object: StoredObject) => unknown): Answer {
    let data = objects;
    const sinceParam = params.get('since');
    if (sinceParam !== null) {
      const since = Number.parseInt(sinceParam, 10);
      if (Number.isNaN(since)) return text(400, `Invalid 'since' value '${sinceParam}'`);
      if (since !== 0 || this.options.zotero70) data = data.filter((object) => object.version > since);
    }
    if (data.length > 1) {
      const sort = params.get('sort') ?? 'dateModified';
      if (!SORTABLE.has(sort)) return text(400, `Invalid 'sort' value '${sort}'`);
      const directionParam = params.get('direction');
      if (directionParam !== null && directionParam !== 'asc' && directionParam !== 'desc') return text(400, `Invalid 'direction' value '${directionParam}'`);
      const direction = directionParam === null ? (sort.startsWith('date') ? -1 : 1) : directionParam === 'asc' ? 1 : -1;
      const field = (object: StoredObject) => String(sort === 'creator' ? (((object.data.creators as Creator[] | undefined)?.[0]?.lastName ?? '') as string) : (object.data[sort] ?? ''));
      data = [...data].sort((a, b) => (field(a) < field(b) ? -direction : field(a) > field(b) ? direction : 0));
    }
    const total = data.length;
    let start = Number.parseInt(params.get('start') ?? '', 10) || 0;
    start = Math.min(Math.max(start, 0), total);
    let limit = Number.parseInt(params.get('limit') ?? '', 10) || total - start;
    if (limit < 0) limit = 0;
    data = data.slice(start, start + limit);
    const answerHeaders: Record<string, string> = { 'Total-Results': String(total), Link: this.links(params, start, limit, total), 'Last-Modified-Version': String(this.libraryVersion) };
    const ifModified = headers.get('if-modified-since-version');
    if (ifModified !== undefined) {
      const since = Number.parseInt(ifModified, 10);
      if ((since !== 0 || this.options.zotero70) && this.libraryVersion <= since) return { status: 304, headers: api(answerHeaders), body: '' };
    }
    return this.formatted(data, params, answerHeaders, json);
  }

  private single(object: StoredObject, headers: Map<string, string>, json: (object: StoredObject) => unknown): Answer {
    const answerHeaders: Record<string, string> = { 'Total-Results': '1', Link: '', 'Last-Modified-Version': String(object.version) };
    const ifModified = headers.get('if-modified-since-version');
    if (ifModified !== undefined && Number(ifModified) !== 0 && object.version <= Number(ifModified)) return { status: 304, headers: api(answerHeaders), body: '' };
    return { status: 200, headers: api({ ...answerHeaders, 'Content-Type': 'application/json' }), body: JSON.stringify(json(object), null, 4) };
  }

  private formatted(data: StoredObject[], params: URLSearchParams, headers: Record<string, string>, json: (object: StoredObject) => unknown): Answer {
    const format = params.get('format');
    switch (format) {
      case 'keys':
        return { status: 200, headers: api({ ...headers, 'Content-Type': 'text/plain' }), body: data.map((object) => object.key).join('\n') };
      case 'versions':
        return { status: 200, headers: api({ ...headers, 'Content-Type': 'application/json' }), body: JSON.stringify(Object.fromEntries(data.map((object) => [object.key, object.version])), null, 4) };
      case 'json':
      case null: {
        const include = params.has('include') ? (params.get('include') as string).split(',') : ['data'];
        const body = data.map((object) => {
          const full = json(object) as Json;
          if (!include.includes('data')) delete full.data;
          return full;
        });
        return { status: 200, headers: api({ ...headers, 'Content-Type': 'application/json' }), body: JSON.stringify(body, null, 4) };
      }
      default:
        return text(400, `Invalid 'format' value '${format}'`);
    }
  }

  private links(params: URLSearchParams, start: number, limit: number, total: number): string {
    const url = (changes: Record<string, string | undefined>) => {
      const next = new URLSearchParams(params);
      for (const [name, value] of Object.entries(changes)) {
        if (value === undefined) next.delete(name);
        else next.set(name, value);
      }
      return `${this.apiRoot}/items?${next.toString()}`;
    };
    const links: string[] = [];
    if (start) links.push(`<${url({ start: undefined })}>; rel="first"`);
    if (limit && start + limit < total) links.push(`<${url({ start: String(start + limit) })}>; rel="next"`);
    if (!start && limit >= total) links.push(`<${url({})}>; rel="last"`);
    return links.join(', ');
  }

  private tags(params: URLSearchParams, headers: Map<string, string>): Answer {
    const counts = new Map<string, { type: number; count: number }>();
    for (const item of this.visibleItems(params)) {
      for (const tag of (item.data.tags as { tag: string; type?: number }[]) ?? []) {
        const entry = counts.get(tag.tag) ?? { type: tag.type ?? 0, count: 0 };
        entry.count++;
        counts.set(tag.tag, entry);
      }
    }
    const objects: StoredObject[] = [...counts].map(([tag, { type, count }]) => ({ kind: 'item', key: tag, version: 0, unsynced: false, data: { tag, type, count } }));
    return this.list(objects, new URLSearchParams([...params].filter(([name]) => name !== 'sort')), headers, (object) => ({
      tag: object.data.tag,
      links: { self: { href: `${this.apiRoot}/tags/${encodeURIComponent(String(object.data.tag))}`, type: 'application/json' } },
      meta: { type: object.data.type, numItems: object.data.count },
    }));
  }

  private itemJson(object: StoredObject): Json {
    const data: Json = { ...object.data, version: object.version };
    const links: Json = { self: { href: `${this.apiRoot}/items/${object.key}`, type: 'application/json' } };
    if (typeof data.parentItem === 'string') links.up = { href: `${this.apiRoot}/items/${data.parentItem}`, type: 'application/json' };
    const meta: Json = {};
    if (data.itemType !== 'attachment' && data.itemType !== 'note' && data.itemType !== 'annotation') {
      const creators = (data.creators as Creator[] | undefined) ?? [];
      meta.creatorSummary = creatorSummary(creators);
      const parsed = parsedDate(String(data.date ?? ''));
      if (parsed) meta.parsedDate = parsed;
      meta.numChildren = this.childrenOf(object.key).length;
    }
    if (!isDeleted(object)) delete data.deleted;
    return { key: object.key, version: object.version, library: this.libraryJson, links, meta, data };
  }

  private collectionJson(object: StoredObject): Json {
    const children = this.collections().filter((c) => c.data.parentCollection === object.key).length;
    if (!this.counts) {
      this.counts = new Map();
      for (const item of this.allItems()) {
        if (isDeleted(item) || item.data.parentItem) continue;
        for (const key of (item.data.collections as string[] | undefined) ?? []) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      }
    }
    const items = this.counts.get(object.key) ?? 0;
    const links: Json = { self: { href: `${this.apiRoot}/collections/${object.key}`, type: 'application/json' } };
    if (object.data.parentCollection) links.up = { href: `${this.apiRoot}/collections/${String(object.data.parentCollection)}`, type: 'application/json' };
    return { key: object.key, version: object.version, library: this.libraryJson, links, meta: { numCollections: children, numItems: items }, data: { ...object.data, version: object.version } };
  }

  // Bookkeeping.

  private collections(): StoredObject[] {
    return this.listed().collections;
  }

  private allItems(): StoredObject[] {
    return this.listed().items;
  }

  private listed(): { items: StoredObject[]; collections: StoredObject[] } {
    if (this.lists) return this.lists;
    const objects = [...this.objects.values()];
    const lists = { items: objects.filter((object) => object.kind === 'item'), collections: objects.filter((object) => object.kind === 'collection') };
    // Only while answering: the scripted changes in between see the library as it is.
    if (this.answering) this.lists = lists;
    return lists;
  }

  private childrenOf(key: string): StoredObject[] {
    return [...(this.children.get(key) ?? [])].map((child) => this.object(child));
  }

  private object(key: string): StoredObject {
    const object = this.objects.get(key);
    if (!object) throw new Error(`the double has no object ${key}`);
    return object;
  }

  /** A new object has version 0 until Zotero syncs it (`sync()`), as in Zotero. */
  private put(object: Omit<StoredObject, 'version' | 'unsynced'>): void {
    this.objects.set(object.key, { ...object, version: 0, unsynced: true, data: { ...object.data, version: 0 } });
    const parent = object.data.parentItem;
    if (typeof parent === 'string') this.children.set(parent, (this.children.get(parent) ?? new Set()).add(object.key));
  }

  private change(key: string, fields: Json): void {
    const object = this.object(key);
    Object.assign(object.data, fields);
    object.unsynced = true;
  }

  private newKey(): string {
    let number = this.nextKey++;
    let key = '';
    for (let index = 0; index < 8; index++) {
      key = KEY_CHARS[number % KEY_CHARS.length] + key;
      number = Math.floor(number / KEY_CHARS.length);
    }
    return key;
  }

  /** Each change a second later than the one before: `dateModified` has seconds as its finest unit. */
  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 200: 'OK', 304: 'Not Modified', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 501: 'Not Implemented' };

/** The headers every local API answer has. */
function api(headers: Record<string, string>): Record<string, string> {
  return { ...headers, 'Zotero-API-Version': '3', 'Zotero-Schema-Version': '29' };
}

function text(status: number, body: string): Answer {
  return { status, headers: api({ 'Content-Type': 'text/plain' }), body };
}

/** An address no endpoint answers: Zotero's server itself says so, without the API's headers. */
function notFound(): Answer {
  return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'No endpoint found\n' };
}

function isDeleted(object: StoredObject): boolean {
  return object.data.deleted === true || object.data.deleted === 1;
}

function creatorSummary(creators: readonly Creator[]): string {
  const names = creators.filter((creator) => creator.creatorType === 'author').map((creator) => creator.lastName ?? creator.name ?? '');
  if (names.length === 0) return '';
  if (names.length === 1) return names[0];
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  return `${names[0]} et al.`;
}

/** Zotero's reading of a date field as meta.parsedDate: "2020-05-01", "2020-05", "2020". */
function parsedDate(date: string): string | undefined {
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date.trim());
  if (iso) return [iso[1], iso[2], iso[3]].filter(Boolean).join('-');
  const year = /\b(\d{4})\b/.exec(date)?.[1];
  return year;
}
