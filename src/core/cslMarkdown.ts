/**
 * citeproc-js's HTML output as Markdown: the style's italics, bold and links are kept (`*Journal*`,
 * `<https://…>`), and every character of text, the paper's own included, is escaped so that nothing
 * in it can start a link, emphasis, code, math, a citation or HTML, in VS Code's preview or in pandoc.
 */
import { safeExternalUrl } from './urls';

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([\da-f]{1,6})|([a-z]+));/gi, (m, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED_ENTITIES[name.toLowerCase()] ?? m;
    const code = dec ? Number(dec) : parseInt(hex ?? '', 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/**
 * Markdown text that reads as exactly `text`: the characters that open inline syntax in CommonMark,
 * GitHub or pandoc (`\` `` ` `` `*` `_` `[` `]` `<` `~` `^` `$` `@`, and `&` before an entity name)
 * are backslash-escaped; line breaks become spaces.
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_[\]<~^$@]|&(?=#\d+;|#x[\da-f]+;|[a-z][a-z\d]*;)/gi, '\\$&');
}

/** What a line must not start with to stay a paragraph: a heading, list item, quote, table or code. */
const BLOCK_START = /^(?:([#>+\-=|])|(\d+)([.)]))/;

/**
 * A piece of a formatted entry or citation with its emphasis: text (to be escaped by each writer), a
 * link the style made (its address http(s), checked), or a superscript/subscript tag.
 */
export interface CslRun {
  text: string;
  italic: boolean;
  bold: boolean;
  /** A link the style made (URL, DOI): `text` is what it shows, `href` a safe http(s) address. */
  href?: string;
  /** `sup`, `/sup`, `sub` or `/sub`: the text is empty. */
  tag?: 'sup' | '/sup' | 'sub' | '/sub';
}

type Style = 'italic' | 'roman' | 'bold' | 'unbold' | 'sup' | 'sub' | 'none';

function tagStyle(tag: string): Style {
  if (/^<(?:i|em)\b/i.test(tag)) return 'italic';
  if (/^<b\b|^<strong\b/i.test(tag)) return 'bold';
  if (/^<sup\b/i.test(tag)) return 'sup';
  if (/^<sub\b/i.test(tag)) return 'sub';
  if (/font-style:\s*normal/i.test(tag)) return 'roman';
  if (/font-weight:\s*normal/i.test(tag)) return 'unbold';
  return 'none';
}

/**
 * citeproc-js's HTML output (one entry or citation) read into runs: only emphasis, sup/sub and
 * http(s) links survive; every other tag is dropped and all text is decoded to plain characters.
 */
export function cslRuns(html: string): CslRun[] {
  const runs: CslRun[] = [];
  const open: { name: string; style: Style }[] = [];
  let link: { href: string; text: string } | undefined;
  const state = () => {
    let italic = false;
    let bold = false;
    for (const { style } of open) {
      if (style === 'italic') italic = !italic;
      else if (style === 'roman') italic = false;
      else if (style === 'bold') bold = true;
      else if (style === 'unbold') bold = false;
    }
    return { italic, bold };
  };
  const push = (text: string, extra: Pick<CslRun, 'href' | 'tag'> = {}) => runs.push({ text, ...state(), ...extra });

  for (const m of html.matchAll(/<(\/?)([a-z][a-z\d]*)\b([^>]*)>|([^<]+)|</gi)) {
    const [whole, closing, name, attrs, text] = m;
    if (text !== undefined || whole === '<') {
      const plain = decodeEntities(text ?? whole);
      if (link) link.text += plain;
      else push(plain);
      continue;
    }
    const tag = name.toLowerCase();
    if (tag === 'a') {
      if (!closing) link = { href: decodeEntities(/\bhref="([^"]*)"/i.exec(attrs)?.[1] ?? ''), text: '' };
      else if (link) {
        push(link.text, { href: safeExternalUrl(link.href) });
        link = undefined;
      }
      continue;
    }
    if (tag === 'div' || tag === 'br') {
      // The left margin of a numbered style ("[1]") and its entry are blocks side by side.
      if (!closing) push(' ');
      continue;
    }
    if (closing) {
      const at = open.map((o) => o.name).lastIndexOf(tag);
      if (at >= 0) {
        const [closed] = open.splice(at, 1);
        if (closed.style === 'sup' || closed.style === 'sub') push('', { tag: `/${closed.style}` });
      }
      continue;
    }
    const style = tagStyle(whole);
    open.push({ name: tag, style });
    if (style === 'sup' || style === 'sub') push('', { tag: style });
  }
  if (link) push(link.text);
  return runs;
}

/** The plain text of runs, whitespace runs as one space. */
export function runsText(runs: readonly CslRun[]): string {
  return runs
    .map((run) => run.text)
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** One formatted citeproc-js entry or citation (HTML output) as one line of inert Markdown. */
export function markdownFromCslHtml(html: string): string {
  return markdownFromRuns(cslRuns(html));
}

/** An http(s) link the style made (URL, DOI), as an autolink when it shows its own address. */
function markdownLink(href: string, text: string): string {
  const written = text.trim();
  if (written === href || safeExternalUrl(written) === href) return `<${href}>`;
  return `[${escapeMarkdownText(written)}](${href.replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))})`;
}

/** Runs as one line of inert Markdown. */
export function markdownFromRuns(runs: readonly CslRun[]): string {
  // Merge neighbours of the same emphasis, so that "*Journal of* *Examples*" is one span.
  const merged: { text: string; italic: boolean; bold: boolean }[] = [];
  for (const run of runs) {
    const text = run.tag ? `<${run.tag}>` : run.href ? markdownLink(run.href, run.text) : escapeMarkdownText(run.text);
    const last = merged[merged.length - 1];
    if (last && last.italic === run.italic && last.bold === run.bold) last.text += text;
    else merged.push({ ...run, text });
  }
  let out = '';
  for (const run of merged) {
    const marker = (run.bold ? '**' : '') + (run.italic ? '*' : '');
    // Emphasis must not open or close on a space: the spaces go outside the markers.
    const [, lead, body, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text)!;
    out += marker && body ? `${lead}${marker}${body}${[...marker].reverse().join('')}${trail}` : run.text;
  }
  out = out.replace(/[ \t\r\n]+/g, ' ').trim();
  return out.replace(BLOCK_START, (_m, mark?: string, digits?: string, dot?: string) => (mark ? `\\${mark}` : `${digits}\\${dot}`));
}
