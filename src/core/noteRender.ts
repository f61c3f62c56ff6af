/**
 * A whole note rendered with its citations and bibliography, away from VS Code's preview: a standalone
 * HTML page (Export Note as HTML…, `litnotes render --to html`) or Markdown with the citations
 * replaced and the bibliography appended (`--to md`, for static-site generators).
 */
import type MarkdownIt from 'markdown-it';
import type { Options } from 'markdown-it';
import { citationPlugin, type CitationSource } from './citationPlugin';
import { lines, maskFencedCode, findReferencesBlock, REFERENCES_END, REFERENCES_START } from './citationScanner';
import { bibliographyMarkdown, citationMarkdown, noteClusters, renderNoteCitations, type RenderedNote } from './citationRendering';
import { frontMatterBlock, readNoteOptions, type NoteOptions } from './frontMatter';
import { escapeHtml } from './html';

/** The note's citation context from its options (front matter). */
export type NoteSource = (options: NoteOptions) => CitationSource;

/** Makes a markdown-it; loaded on first use by the host (the extension keeps it out of its bundle). */
export type MarkdownItFactory = (options: Options) => MarkdownIt;

/** The styles of an exported page: readable on its own, light and dark, nothing fetched. */
export const NOTE_CSS = `
:root { color-scheme: light dark; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.6; max-width: 46em; margin: 2em auto; padding: 0 1em; }
pre, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em; }
pre { overflow-x: auto; padding: 0.8em; background: rgba(127, 127, 127, 0.12); }
blockquote { margin-left: 0; padding-left: 1em; border-left: 0.25em solid rgba(127, 127, 127, 0.4); }
table { border-collapse: collapse; } th, td { border: 1px solid rgba(127, 127, 127, 0.4); padding: 0.25em 0.6em; }
img { max-width: 100%; }
.litnotes-citation a.litnotes-cite { color: inherit; text-decoration: none; border-bottom: 1px dotted currentColor; }
.litnotes-unknown { text-decoration: underline wavy #c2410c; }
.litnotes-problem { color: #b91c1c; }
#refs .csl-entry { margin: 0.5em 0; padding-left: 2em; text-indent: -2em; }
`.trim();

function exportMarkdownIt(source: NoteSource, create: MarkdownItFactory): MarkdownIt {
  // As VS Code's preview renders: raw HTML of the note itself kept, addresses linked.
  const md = create({ html: true, linkify: true });
  citationPlugin(md, { source: (_env, options) => source(options), hideFrontMatter: true });
  return md;
}

/** A standalone page: styles inline, a Content-Security-Policy that lets nothing load or run. */
export function renderNoteHtml(markdown: string, source: NoteSource, fallbackTitle: string, create: MarkdownItFactory): string {
  const options = readNoteOptions(markdown);
  const body = exportMarkdownIt(source, create).render(markdown, {});
  const title = options.title ?? /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(markdown.slice(frontMatterBlock(markdown)?.end ?? 0))?.[1] ?? fallbackTitle;
  return [
    '<!DOCTYPE html>',
    `<html${options.lang ? ` lang="${escapeHtml(options.lang)}"` : ''}>`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${NOTE_CSS}\n</style>`,
    '</head>',
    '<body>',
    body.trimEnd(),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The note as Markdown: each citation its formatted text (an unknown key as written), the bibliography where pandoc puts it. */
export function renderNoteMarkdown(markdown: string, source: NoteSource): { markdown: string; rendered: RenderedNote } {
  const options = readNoteOptions(markdown);
  const context = source(options);
  const clusters = noteClusters(markdown);
  const rendered =
    'problem' in context.style
      ? { citations: clusters.map(() => undefined), unknown: clusters.map(() => []), bibliography: [], problem: context.style.problem }
      : renderNoteCitations(clusters, context.style, (key) => context.lookup(key), { nocite: options.nocite, allPapers: () => context.allPapers() });
  const links = { linkCitations: options.linkCitations, paper: (key: string) => context.lookup(key) };
  let text = markdown;
  for (let i = clusters.length - 1; i >= 0; i--) {
    const cluster = clusters[i];
    if (cluster.formatted) continue;
    text = text.slice(0, cluster.start) + citationMarkdown(cluster, rendered.citations[i], links) + text.slice(cluster.end);
  }
  if (options.suppressBibliography || rendered.bibliography.length === 0) return { markdown: text, rendered };
  const list = bibliographyMarkdown(rendered.bibliography, { anchors: options.linkCitations });
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const entries = list.replace(/\n/g, eol);
  const refs = refsDiv(text);
  if (refs) return { markdown: `${text.slice(0, refs.closeStart)}${entries}${eol}${text.slice(refs.closeStart)}`, rendered };
  const markers = findReferencesBlock(maskFencedCode(text));
  if (markers) {
    return { markdown: `${text.slice(0, markers.start)}${REFERENCES_START}${eol}${entries}${eol}${REFERENCES_END}${text.slice(markers.end)}`, rendered };
  }
  const heading = options.referenceSectionTitle ? `## ${options.referenceSectionTitle}${eol}${eol}` : '';
  return { markdown: `${text.replace(/\s*$/, '')}${eol}${eol}${heading}${entries}${eol}`, rendered };
}

/** Where a `::: {#refs}` div closes (outside code): the bibliography goes before its closing line. */
function refsDiv(markdown: string): { closeStart: number } | undefined {
  let open: string | undefined;
  for (const line of lines(maskFencedCode(markdown))) {
    if (open === undefined) {
      open = /^(:{3,})[ \t]*\{[ \t]*#refs(?:[ \t][^}]*)?\}[ \t]*$/.exec(line.text)?.[1];
    } else if (new RegExp(`^:{${open.length},}[ \\t]*$`).test(line.text)) return { closeStart: line.start };
  }
  return undefined;
}
