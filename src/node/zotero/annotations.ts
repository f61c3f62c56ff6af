/**
 * A paper's annotations from the local API, reached through its attachments
 * (`/items/<paper>/children`, then `/items/<attachment>/children`): Zotero 7.0 answers
 * `itemType=annotation` with nothing, this way works in every version.
 */
import { readItem } from '../../core/zotero/api';
import { inReadingOrder, readAnnotation, type ZoteroAnnotation } from '../../core/zotero/annotations';
import type { ZoteroItemRef } from '../../core/model';
import { ZoteroError, type Params, type ZoteroClient } from './client';

/** Attachments that Zotero's reader opens, and so can hold annotations. */
const READER_TYPES = new Set(['application/pdf', 'application/epub+zip', 'text/html']);

export interface PaperAnnotations {
  /** Reader attachments of the paper. */
  attachments: number;
  /** Every annotation of them, in reading order, attachment by attachment (the first attached first). */
  annotations: ZoteroAnnotation[];
}

export async function fetchAnnotations(client: ZoteroClient, ref: ZoteroItemRef): Promise<PaperAnnotations> {
  const children = await list(client, `${ref.library}/items/${ref.key}/children`, { sort: 'dateAdded', direction: 'asc' });
  const attachments = children.filter((child) => child.data.itemType === 'attachment' && READER_TYPES.has(String(child.data.contentType)));
  const annotations: ZoteroAnnotation[] = [];
  for (const attachment of attachments) {
    const own = (await list(client, `${ref.library}/items/${attachment.key}/children`)).flatMap((child) => readAnnotation(child) ?? []);
    annotations.push(...inReadingOrder(own));
  }
  return { attachments: attachments.length, annotations };
}

async function list(client: ZoteroClient, path: string, params: Params = {}) {
  const { json } = await client.get(path, params);
  if (!Array.isArray(json)) throw new ZoteroError('malformed', `Zotero's answer to ${path} is not a list`);
  return json.flatMap((value) => readItem(value) ?? []);
}
