/**
 * Citation keys of Zotero items. An item cited by a key keeps it: a key once given stays with the
 * item (the map is kept with the cached library), even when its title or year changes later.
 */
import { disambiguateKey } from '../citekey';
import type { ZoteroItemData } from './api';

/**
 * The key Zotero keeps for an item: its `citationKey` field (on every item type from Zotero 7.0.31
 * and 8; Better BibTeX fills it), else Better BibTeX's "Citation Key: …" line in Extra.
 */
export function heldCitationKey(data: ZoteroItemData): string | undefined {
  const field = typeof data.citationKey === 'string' ? data.citationKey.trim() : '';
  if (field) return field;
  const extra = typeof data.extra === 'string' ? data.extra : '';
  return /^[ \t]*citation key[ \t]*:[ \t]*(\S(?:.*\S)?)[ \t]*$/im.exec(extra)?.[1];
}

export interface KeyClaim {
  /** The item (library and key). */
  id: string;
  /** The key the item holds in Zotero, when the library can use it. */
  held?: string;
  /** The Better BibTeX-style key made from its authors, year and title. */
  made: string;
  /** When it was added to Zotero: the older item of two keeps a shared key. */
  added: string;
}

/**
 * A citation key for every item, unique across all of them: held keys first (of two items holding
 * one key, the one that had it before, else the older, keeps it; the other gets a, b …), then each
 * item keeps the key it was given before when that is still free, then the rest get their made key.
 */
export function assignCitationKeys(claims: readonly KeyClaim[], previous: ReadonlyMap<string, string>): Map<string, string> {
  const byAge = [...claims].sort((a, b) => compare(a.added, b.added) || compare(a.id, b.id));
  const keys = new Map<string, string>();
  const used = new Set<string>();
  const give = (claim: KeyClaim, key: string) => {
    const unique = disambiguateKey(key, used);
    used.add(unique);
    keys.set(claim.id, unique);
  };
  const heldBefore = (claim: KeyClaim) => (previous.get(claim.id) === claim.held ? 0 : 1);
  // Array sort is stable: among the holders of one key, age decides after "had it before".
  for (const claim of byAge.filter((entry) => entry.held).sort((a, b) => heldBefore(a) - heldBefore(b))) give(claim, claim.held as string);
  for (const claim of byAge) {
    const before = previous.get(claim.id);
    if (!keys.has(claim.id) && before !== undefined && !used.has(before)) give(claim, before);
  }
  for (const claim of byAge) if (!keys.has(claim.id)) give(claim, claim.made);
  return keys;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
