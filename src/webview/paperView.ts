import type { Paper, Topic } from '../core/model';
import { authorName, venueLabel } from '../core/library';
import { LINK_KINDS } from '../core/links';
import { shorten } from '../core/markdown';
import { safeExternalUrl } from '../core/urls';
import type { LinkView, PaperView } from './protocol';

const SHORT_TITLE_MAX = 40;

/** The serialisable view of a paper; topics the library does not know are left out. */
export function toPaperView(paper: Paper, getTopic: (id: string) => Topic | undefined): PaperView {
  const links: LinkView[] = [];
  for (const kind of LINK_KINDS) {
    const url = safeExternalUrl(paper.links[kind]);
    if (url) links.push({ kind, url });
  }
  return {
    key: paper.key,
    title: paper.title,
    authors: paper.authors.map(authorName),
    moreAuthors: Math.max(0, paper.authorCount - paper.authors.length),
    venue: venueLabel(paper) || undefined,
    organization: paper.organization,
    upvotes: paper.upvotes,
    topics: paper.topics.flatMap((id) => {
      const topic = getTopic(id);
      return topic ? [{ id: topic.id, label: topic.label, description: topic.description }] : [];
    }),
    abstract: paper.abstract,
    links,
    zotero: paper.zotero !== undefined,
  };
}

/** A tab-sized title: the name before the colon that most papers lead with ("T-REG: …"), else the title cut at a word. */
export function shortTitle(title: string): string {
  const text = title.replace(/\s+/g, ' ').trim();
  // A colon inside a word or an address ("command:x") starts no subtitle.
  const colon = text.search(/:\s/);
  if (colon > 0 && colon <= SHORT_TITLE_MAX) return text.slice(0, colon).trim();
  return shorten(text, SHORT_TITLE_MAX);
}
