/**
 * A note's citations kept processed between calls, as a word processor plugin of Zotero keeps them:
 * a citeproc-js engine of its own holds the note's citations, and a change of a few of them is fed
 * to it one citation at a time (`processCitationCluster`, which also reports every other citation
 * whose text the change alters: a renumbering, a new disambiguation, an "ibid"), so an edit costs
 * what those citations cost, not the whole note again (`rebuildProcessorState`). Anything else (the
 * first call, many changes at once, a paper's data changed, a style reloaded) processes the note from
 * scratch. Both ways give the same texts, numbering and bibliography (test/unit/citationSession.test.ts).
 */
import { citeprocItem, cslFailure, markCitationEntry, type CiteprocEngine, type CslFormatter } from './csl';
import type { Paper } from './model';
import type { CslJsonItem } from './sources/record';

/** One cited paper of a citation, as citeproc-js takes it. */
export interface CiteprocItem {
  id: string;
  prefix?: string;
  suffix?: string;
  locator?: string;
  label?: string;
  'suppress-author'?: boolean;
  'author-only'?: boolean;
}

/** A citation as citeproc-js takes it; in-text, so outside any footnote (noteIndex 0). */
interface CiteprocCitation {
  citationID: string;
  citationItems: CiteprocItem[];
  properties: { noteIndex: number };
}
type CitationRef = [citationID: string, noteIndex: number];

/** The document API of citeproc-js's Engine, beside the part csl.ts declares. */
export interface DocumentEngine extends CiteprocEngine {
  /** Forgets every citation (without arguments). */
  restoreProcessorState(): void;
  /** Processes the citations in document order; `[citationID, noteIndex, text]` for each. */
  rebuildProcessorState(citations: CiteprocCitation[], mode: 'text' | 'html'): [string, number, string][];
  /**
   * Puts one citation (new, or an edited one under its id) between `pre` and `post`, dropping those in
   * neither; `[index, text, citationID]` of each citation whose text changes, its own included. With
   * ASSUME_ALL_ITEMS_REGISTERED it leaves the registry's papers as `updateItems` last set them.
   */
  processCitationCluster(citation: CiteprocCitation, pre: CitationRef[], post: CitationRef[], flag?: typeof ASSUME_ALL_ITEMS_REGISTERED): [unknown, [number, string, string][]];
  /** Registers exactly these papers, numbered in this order; `implicit`: their data is already loaded. */
  updateItems(ids: string[], nosort?: null, rerunAmbigs?: null, implicit?: boolean): void;
  /** Adds papers to the bibliography that no citation cites (after the cited ones in a numeric style). */
  updateUncitedItems(ids: string[]): void;
  /** The bibliography of only the papers a section includes (the others' entries are left out, not renumbered). */
  makeBibliography(section?: { include: { field: 'id'; value: string }[] }): Bibliography | false;
  /** citeproc-js's registry of the papers it holds, in the bibliography's order: how each is disambiguated and numbered. */
  registry: {
    reflist: { id: string; seq: number; disambig: unknown }[];
    registry: Record<string, { disambig: unknown; master?: unknown; siblings?: unknown } | undefined>;
    /** Each citation as processed: its items sorted as the style sorts them, with their positions in the note. */
    citationreg: { citationById: Record<string, ProcessedCitation | undefined> };
  };
  /** Writes a processed citation again, in its place in the note, as processCitationCluster does for each citation it changes. */
  process_CitationCluster(sortedItems: ProcessedCitation['sortedItems'], citation: ProcessedCitation): string;
  /** The style's bibliography options (an entry that depends on the one before it makes a partial bibliography wrong) and its compiled layout. */
  bibliography: { opt: Record<string, unknown>; tokens: CompiledToken[] };
  /** The style's compiled macros. */
  macros: Record<string, CompiledToken[]>;
  /** `update_mode` 0: the citations print no numbers. */
  opt: CiteprocEngine['opt'] & { update_mode: number };
  /** The output format's decorations, made again by each `setOutputFormat`; `@cite/entry` marks a paper's part of a citation. */
  fun: { decorate: { '@cite': { entry: CiteEntryDecoration } } };
}

interface ProcessedCitation {
  sortedItems: unknown[];
}

/** citeproc-js's `@cite/entry`, called with the output blob of one paper's part as `this`. */
type CiteEntryDecoration = (this: CiteBlob, state: unknown, html: string) => string;

interface CiteBlob {
  /** The paper of a part that a group of the layout holds. */
  item_id?: string;
  /** The paper of a citation number (a number blob, which citeproc-js may collapse into a range): no `item_id` there. */
  id?: string;
}

/**
 * `@cite/entry` that names the paper of a citation number too: citeproc-js's own reads `item_id`
 * only, which a number blob lacks, so a numeric style's "[1], [2]" or "(1–3)" came out marked with no
 * paper. A number blob's `id` is its paper's id (the `system_id` given it here).
 */
const markCiteEntry: CiteEntryDecoration = function (_state, html) {
  return markCitationEntry(html, this.item_id ?? this.id ?? '');
};

/** A node of the style as citeproc-js compiles it, with the variables it prints or tests. */
interface CompiledToken {
  variables?: string[];
  variables_real?: string[];
}

type Bibliography = Exclude<ReturnType<CiteprocEngine['makeBibliography']>, false>;

/** What the engine is given: the papers, the note's citations in document order, and papers listed without a citation. */
export interface SessionInput {
  papers: Iterable<Paper>;
  citations: readonly (readonly CiteprocItem[])[];
  uncited?: readonly string[];
  /** Process everything from scratch (Refresh Citations), leaving the session with the result. */
  rebuild?: boolean;
}

/** The style's formatter and id, as the document features take them. */
export interface SessionStyle {
  formatter: Pick<CslFormatter, 'documentEngine' | 'styleGeneration'>;
  styleId: string;
}

/** citeproc-js's CSL.ASSUME_ALL_ITEMS_REGISTERED. */
const ASSUME_ALL_ITEMS_REGISTERED = 2;
/** More changed citations than this and the note is processed from scratch. */
const MAX_STEPS = 8;
/** Notes kept per style and output (several previews open, a note and the one it was copied from). */
const SESSIONS = 4;

interface Held {
  id: string;
  signature: string;
  items: readonly CiteprocItem[];
}

export class CitationSession {
  private readonly engine: DocumentEngine;
  /** The papers the engine holds, by id: a different object under the same key means edited data. */
  private readonly papers = new Map<string, Paper>();
  private readonly items = new Map<string, CslJsonItem>();
  private held: Held[] = [];
  private readonly texts = new Map<string, string>();
  private uncited: string[] = [];
  private nextId = 0;
  /** The author-only citation of a paper ("W. Zhou et al."), valid while its disambiguation stays. */
  private readonly authors = new Map<string, { disambig: string; html: string }>();
  /** Whether the style prints citation numbers in the bibliography (asked once: the engine's style never changes). */
  private numbered?: boolean;
  private bibliography?: { signature: string; made: Bibliography | false; entries: Map<string, { state: string; html: string }> };
  lastUse = 0;

  constructor(
    style: SessionStyle,
    readonly output: 'text' | 'html',
    readonly generation: string,
  ) {
    this.engine = style.formatter.documentEngine(style.styleId, output, (id) => {
      const item = this.items.get(id);
      if (!item) throw new Error(`no item "${id}"`);
      return item;
    }) as DocumentEngine;
  }

  /**
   * How many citations to process to reach `signatures` from what the engine holds (`Infinity`: start
   * over), and where the changed stretch starts and ends.
   */
  plan(signatures: readonly string[], papers: Iterable<Paper>): { steps: number; prefix: number; suffix: number } {
    const none = { steps: Infinity, prefix: 0, suffix: 0 };
    // An empty note is processed from scratch at no cost, which also clears what the engine holds.
    if (this.held.length === 0 || signatures.length === 0) return none;
    for (const paper of papers) {
      const held = this.papers.get(paper.key);
      if (held !== undefined && held !== paper) return none;
    }
    const old = this.held;
    const shorter = Math.min(old.length, signatures.length);
    let prefix = 0;
    while (prefix < shorter && old[prefix].signature === signatures[prefix]) prefix++;
    let suffix = 0;
    while (suffix < shorter - prefix && old[old.length - 1 - suffix].signature === signatures[signatures.length - 1 - suffix]) suffix++;
    const steps = Math.max(old.length - prefix - suffix, signatures.length - prefix - suffix);
    return { steps: steps > MAX_STEPS ? Infinity : steps, prefix, suffix };
  }

  /** The text of each citation, in document order, after bringing the engine to `input`. */
  update(input: SessionInput, signatures: readonly string[] = input.citations.map(signatureOf)): string[] {
    const papers = [...input.papers];
    const plan = input.rebuild ? undefined : this.plan(signatures, papers);
    if (!plan || plan.steps === Infinity) this.rebuild(input, papers, signatures);
    else this.change(input, papers, signatures, plan.prefix, plan.suffix);
    return this.held.map((entry) => this.texts.get(entry.id) ?? '');
  }

  /** The author-only citation of a paper the engine holds, as citeproc-js gives it. */
  authorOnly(id: string): string {
    const disambig = JSON.stringify(this.engine.registry.registry[id]?.disambig ?? null);
    const known = this.authors.get(id);
    if (known?.disambig === disambig) return known.html;
    const html = this.engine.makeCitationCluster([{ id, 'author-only': true } as { id: string }]);
    this.authors.set(id, { disambig, html });
    return html;
  }

  /**
   * The citation at `index` (in document order), written again in its place with each paper's part
   * marked (csl.ts `markCitationEntry`): the same sort, positions and disambiguation as its text, but
   * without the layout's affixes (citeproc-js leaves them out then). A paper whose number a range
   * leaves out ("1–3") has no part. Undefined when the engine holds no such citation.
   */
  markedCitation(index: number): string | undefined {
    const held = this.held[index];
    const citation = held && this.engine.registry.citationreg.citationById[held.id];
    if (!citation) return undefined;
    const options = this.engine.opt.development_extensions;
    options.apply_citation_wrapper = true;
    this.engine.fun.decorate['@cite'].entry = markCiteEntry;
    try {
      return this.engine.process_CitationCluster(citation.sortedItems, citation);
    } finally {
      options.apply_citation_wrapper = false;
    }
  }

  /**
   * The bibliography of what the engine holds; made again only when its papers, order, numbers or
   * disambiguation change, and then only the entries of papers new to it or whose number or
   * disambiguation changed (an entry costs citeproc-js some milliseconds: a whole bibliography of a
   * long note, seconds).
   */
  makeBibliography(): Bibliography | false {
    const { reflist } = this.engine.registry;
    const signature = JSON.stringify(reflist.map((entry) => [entry.id, entry.seq, entry.disambig]));
    if (this.bibliography?.signature === signature) return this.bibliography.made;
    // A paper's number is in its entry only where the style prints numbers (a new paper cited early renumbers the rest).
    this.numbered ??= this.printsNumbers();
    const states = reflist.map((entry) => [entry.id, JSON.stringify(this.numbered ? [entry.seq, entry.disambig] : entry.disambig)] as const);
    const known = this.bibliography?.entries;
    const stale = known && this.entriesStandAlone() ? states.filter(([id, state]) => known.get(id)?.state !== state).map(([id]) => id) : undefined;
    const made = known && stale && stale.length < states.length / 2 ? this.partBibliography(states, stale, known) : undefined;
    const whole = made ?? this.engine.makeBibliography();
    const entries = new Map<string, { state: string; html: string }>();
    // An entry that prints nothing leaves no string: then the strings are not one per paper, and nothing is reused.
    if (whole && whole[1].length === states.length) states.forEach(([id, state], index) => entries.set(id, { state, html: whole[1][index] }));
    this.bibliography = { signature, made: whole, entries };
    return whole;
  }

  /** Whether the style's bibliography, or any macro, prints or tests the citation number. */
  private printsNumbers(): boolean {
    const tokens = [...this.engine.bibliography.tokens, ...Object.values(this.engine.macros).flat()];
    return this.engine.opt.update_mode !== 0 || tokens.some((token) => [...(token.variables ?? []), ...(token.variables_real ?? [])].includes('citation-number'));
  }

  /** Whether each entry depends on its own paper only ("———" for a repeated author, parallel or grouped entries do not). */
  private entriesStandAlone(): boolean {
    const opt = this.engine.bibliography.opt;
    if (opt['subsequent-author-substitute'] !== undefined || opt.exclude_types || opt.exclude_with_fields) return false;
    return this.engine.registry.reflist.every(({ id }) => {
      const entry = this.engine.registry.registry[id];
      const item = this.items.get(id) as { container_id?: unknown; legislation_id?: unknown } | undefined;
      return !entry?.master && !entry?.siblings && !item?.container_id && !item?.legislation_id;
    });
  }

  /** The whole bibliography from the kept entries and those of `stale`, made alone; undefined when that cannot be. */
  private partBibliography(states: readonly (readonly [string, string])[], stale: readonly string[], known: Map<string, { html: string }>): Bibliography | undefined {
    const part = this.engine.makeBibliography({ include: stale.map((id) => ({ field: 'id', value: id })) });
    if (!part || part[1].length !== stale.length || part[0].entry_ids.some((ids, index) => ids.length !== 1 || ids[0] !== stale[index])) return undefined;
    const fresh = new Map(stale.map((id, index) => [id, part[1][index]]));
    const html = states.map(([id]) => fresh.get(id) ?? known.get(id)?.html ?? '');
    return [{ ...part[0], entry_ids: states.map(([id]) => [id]) }, html];
  }

  private rebuild(input: SessionInput, papers: Paper[], signatures: readonly string[]): void {
    // Before the papers go: on its way to an empty registry citeproc-js still reads the uncited ones.
    this.engine.restoreProcessorState();
    this.papers.clear();
    this.items.clear();
    this.authors.clear();
    this.bibliography = undefined;
    this.texts.clear();
    this.register(papers);
    this.held = input.citations.map((items, index) => ({ id: `c${this.nextId++}`, signature: signatures[index], items }));
    const result = this.engine.rebuildProcessorState(
      this.held.map((entry) => citation(entry)),
      this.output,
    );
    for (const [id, , text] of result) this.texts.set(id, text);
    this.uncited = [];
    this.setUncited(input.uncited ?? []);
  }

  private change(input: SessionInput, papers: Paper[], signatures: readonly string[], prefix: number, suffix: number): void {
    this.register(papers);
    // As a full run does: the citations first, with no uncited paper registered, then the uncited ones.
    // (A full run's citations never see the uncited papers, which come after: so neither do these.)
    const uncited = input.uncited ?? [];
    const removed = this.held.length - prefix - suffix;
    const added = signatures.length - prefix - suffix;
    if (removed === 0 && added === 0 && uncited.length === this.uncited.length && uncited.every((id, index) => id === this.uncited[index])) return;
    this.setUncited([]);
    const entry = (at: number): Held => ({ id: `c${this.nextId++}`, signature: signatures[at], items: input.citations[at] });
    for (let step = 0; step < Math.max(removed, added); step++) {
      const at = prefix + step;
      if (step < Math.min(removed, added)) this.held[at] = { id: this.held[at].id, signature: signatures[at], items: input.citations[at] };
      else if (step < added) this.held.splice(at, 0, entry(at));
      else {
        // Citations left out of `pre` and `post` are dropped: one neighbour processed again drops them all.
        for (const gone of this.held.splice(at, removed - added)) this.texts.delete(gone.id);
        this.process(Math.min(at, this.held.length - 1));
        break;
      }
      this.process(at);
    }
    this.setUncited(uncited);
  }

  private process(at: number): void {
    // As rebuildProcessorState does: the papers registered first, in the order the note first cites
    // them as written. (Left to itself, processCitationCluster registers them in the order of each
    // citation's items sorted by their former numbers, which a numeric style then numbers by.)
    this.engine.updateItems([...new Set(this.held.flatMap((entry) => entry.items.map((item) => item.id)))], null, null, true);
    const refs = this.held.map((entry): CitationRef => [entry.id, 0]);
    const [, changed] = this.engine.processCitationCluster(citation(this.held[at]), refs.slice(0, at), refs.slice(at + 1), ASSUME_ALL_ITEMS_REGISTERED);
    for (const [, text, id] of changed) this.texts.set(id, text);
  }

  private register(papers: readonly Paper[]): void {
    for (const paper of papers) {
      if (this.papers.has(paper.key)) continue;
      this.papers.set(paper.key, paper);
      // `system_id`: what citeproc-js names the part of a citation it marks for `markedCitation`.
      this.items.set(paper.key, { ...citeprocItem(paper), system_id: paper.key } as CslJsonItem);
    }
  }

  private setUncited(ids: readonly string[]): void {
    if (ids.length === 0 && this.uncited.length === 0) return;
    this.engine.updateUncitedItems([...ids]);
    this.uncited = [...ids];
  }
}

/** A fresh copy of a held citation: citeproc-js writes into the objects it is given. */
function citation(entry: Held): CiteprocCitation {
  return { citationID: entry.id, citationItems: entry.items.map((item) => ({ ...item })), properties: { noteIndex: 0 } };
}

function signatureOf(items: readonly CiteprocItem[]): string {
  return JSON.stringify(items);
}

const pools = new WeakMap<object, Map<string, CitationSession[]>>();
let uses = 0;

/**
 * Runs `use` on the session of this style and output that is nearest to `input` (fewest citations to
 * process), brought to `input`; a new session, or the one used longest ago, when none is near. A
 * failure drops the session (its engine may be half-way through a change) and throws a CslError.
 */
export function withSession<T>(style: SessionStyle, output: 'text' | 'html', input: SessionInput, use: (session: CitationSession, texts: string[]) => T): T {
  let byStyle = pools.get(style.formatter);
  if (!byStyle) pools.set(style.formatter, (byStyle = new Map()));
  const poolKey = `${style.styleId}\n${output}`;
  const generation = style.formatter.styleGeneration(style.styleId);
  const pool = (byStyle.get(poolKey) ?? []).filter((session) => session.generation === generation);
  byStyle.set(poolKey, pool);

  const signatures = input.citations.map(signatureOf);
  const papers = [...input.papers];
  let session: CitationSession | undefined;
  let best = Infinity;
  for (const candidate of pool) {
    const { steps } = candidate.plan(signatures, papers);
    if (steps < best || !session) [session, best] = [candidate, steps];
    else if (best === Infinity && steps === Infinity && candidate.lastUse < session.lastUse) session = candidate;
  }
  try {
    if (!session || (best === Infinity && pool.length < SESSIONS)) {
      session = new CitationSession(style, output, generation);
      pool.push(session);
    }
    session.lastUse = ++uses;
    const texts = session.update({ ...input, papers }, signatures);
    return use(session, texts);
  } catch (error) {
    byStyle.set(poolKey, pool.filter((other) => other !== session));
    throw cslFailure(style.styleId, error);
  }
}
