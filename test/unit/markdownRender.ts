/** Markdown rendered as a reader sees it, to prove that text written by Lit Notes stays text. */
import MarkdownIt, { type Token } from 'markdown-it';

// As VS Code's preview renders notes: raw HTML allowed, addresses linked.
export const preview = new MarkdownIt({ html: true, linkify: true });
export const strict = new MarkdownIt();

/** Every token, inline children included, in document order. */
export function tokens(markdown: string, md = preview): Token[] {
  return md.parse(markdown, {}).flatMap((token) => [token, ...(token.children ?? [])]);
}

/** Token types that are markup rather than text. */
export function markup(markdown: string, allowed: readonly string[] = [], md = preview): string[] {
  const text = new Set(['paragraph_open', 'paragraph_close', 'inline', 'text', 'text_special', 'softbreak', ...allowed]);
  return tokens(markdown, md).map((token) => token.type).filter((type) => !text.has(type));
}

/** What a reader sees: the text of the inline tokens, line breaks as newlines, paragraphs apart by a blank line. */
export function shown(markdown: string, md = preview): string {
  return md
    .parse(markdown, {})
    .filter((token) => token.type === 'inline')
    .map((inline) => (inline.children ?? []).map((token) => (token.type === 'softbreak' ? '\n' : token.content)).join(''))
    .join('\n\n');
}

/** Characters of `set` in `markdown` that no backslash escapes (for syntax markdown-it does not know: Pandoc, math, theme icons). */
export function unescaped(markdown: string, set: RegExp): string[] {
  return markdown.replace(/\\[\s\S]/g, '').match(set) ?? [];
}

/** The address of every link the Markdown renders. */
export function hrefs(markdown: string, md = preview): string[] {
  return tokens(markdown, md)
    .filter((token) => token.type === 'link_open')
    .map((token) => token.attrGet('href') ?? '');
}
