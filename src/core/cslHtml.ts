/**
 * citeproc-js's HTML output as HTML that can be trusted: rebuilt from its runs (cslMarkdown.ts), so the
 * style's italics, bold, superscripts and http(s) links survive and every character of text, a
 * paper's own included, is escaped. Nothing a paper's data holds can become a tag, an attribute or a link.
 */
import { cslRuns, type CslRun } from './cslMarkdown';
import { escapeHtml } from './html';

export interface CslHtmlOptions {
  /** Whether the style's links (URL, DOI) stay links; off inside a citation that is a link itself. */
  links?: boolean;
}

export function safeHtmlFromCslHtml(html: string, options: CslHtmlOptions = {}): string {
  return htmlFromRuns(cslRuns(html), options);
}

export function htmlFromRuns(runs: readonly CslRun[], { links = true }: CslHtmlOptions = {}): string {
  let out = '';
  for (const run of runs) {
    if (run.tag) {
      out += `<${run.tag}>`;
      continue;
    }
    let text = escapeHtml(run.text);
    if (run.href && links) text = `<a href="${escapeHtml(run.href)}">${text}</a>`;
    if (run.italic) text = `<i>${text}</i>`;
    if (run.bold) text = `<b>${text}</b>`;
    out += text;
  }
  return balanceScripts(out.replace(/\s+/g, ' ').trim());
}

/** Closes a sup/sub left open and drops a stray closing tag, so the markup nests. */
function balanceScripts(html: string): string {
  const open: string[] = [];
  const balanced = html.replace(/<(\/?)(sup|sub)>/g, (tag, closing: string, name: string) => {
    if (!closing) {
      open.push(name);
      return tag;
    }
    const at = open.lastIndexOf(name);
    if (at < 0) return '';
    open.splice(at, 1);
    return tag;
  });
  return balanced + open.reverse().map((name) => `</${name}>`).join('');
}
