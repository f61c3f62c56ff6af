/**
 * Zotero items → papers of the library: each item's CSL-JSON (see ./csl) is read by the same
 * importer as a CSL-JSON file, so a Zotero paper is the record a CSL export of it would give. The
 * citation key is settled across all items afterwards (./citationKeys).
 */
import { importCslJson } from '../sources/cslJsonImport';
import type { ImportedPaper, SourceProblem } from '../sources/source';
import type { ZoteroCollection, ZoteroItem } from './api';
import { heldCitationKey, type KeyClaim } from './citationKeys';
import { zoteroItemToCsl } from './csl';

/** The libraries a user reads: `users/0` (their own) or `groups/<id>`, as the API paths name them. */
export type LibraryPrefix = `users/${number}` | `groups/${number}`;

/** An item read into a paper, before its final citation key. */
export interface ConvertedItem {
  /** The paper, keyed by its held key when usable, else by the key made from its fields. */
  entry: ImportedPaper;
  claim: KeyClaim;
  /** What the importer could not keep (a URL that is not http(s) …), for the log. */
  problems: SourceProblem[];
}

export function itemId(library: LibraryPrefix, key: string): string {
  return `${library}/items/${key}`;
}

export function collectionId(library: LibraryPrefix, key: string): string {
  return `${library}/collections/${key}`;
}

/** One regular item as a paper; undefined when it has nothing to be cited by (the importer's rule). */
export function convertItem(library: LibraryPrefix, item: ZoteroItem): ConvertedItem | undefined {
  const csl = zoteroItemToCsl(item);
  const held = heldCitationKey(item.data);
  // The held key goes in as the CSL citation key: the importer takes it when it can be one.
  const parsed = importCslJson(JSON.stringify([{ ...csl, ...(held && { 'citation-key': held }) }]));
  const entry = parsed.papers[0];
  if (!entry) return undefined;
  const id = itemId(library, item.key);
  const claim: KeyClaim = { id, made: entry.paper.key, added: typeof item.data.dateAdded === 'string' ? item.data.dateAdded : '' };
  if (held !== undefined && entry.paper.key === held) claim.held = held;
  return { entry: { ...entry, line: 0 }, claim, problems: parsed.problems };
}

/** Collection id → its names from the top ("Reading", "Reading › RL"); a library other than the user's own is named first. */
export function collectionPaths(library: LibraryPrefix, libraryName: string | undefined, collections: ReadonlyMap<string, ZoteroCollection>): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const pathOf = (key: string, seen: Set<string>): string[] => {
    const known = paths.get(collectionId(library, key));
    if (known) return known;
    const collection = collections.get(key);
    if (!collection) return [];
    const parent = collection.parentCollection;
    // A parent missing (not yet synced) or a cycle (a corrupt library) makes the collection a top one.
    const above = parent && !seen.has(parent) && collections.has(parent) ? pathOf(parent, new Set(seen).add(key)) : libraryName ? [libraryName] : [];
    const path = [...above, collection.name];
    paths.set(collectionId(library, key), path);
    return path;
  };
  for (const key of collections.keys()) pathOf(key, new Set([key]));
  return paths;
}
