/**
 * A style in citeproc-js's JSON form (what the build ships for the built-in styles) written back as
 * CSL XML, for processors that read `.csl` files: pandoc's `--csl`.
 */
import type { CslNode } from './csl';

export function cslStyleXml(style: CslNode): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(style, true)}\n`;
}

function element(node: CslNode, root: boolean): string {
  // citeproc-js's JSON form may drop the namespace; a .csl file must declare it.
  const attrs = root && !node.attrs.xmlns ? { xmlns: 'http://purl.org/net/xbiblio/csl', ...node.attrs } : node.attrs;
  const attrText = Object.entries(attrs)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
  const children = node.children.map((child) => (typeof child === 'string' ? escapeXml(child) : element(child, false))).join('');
  return children ? `<${node.name}${attrText}>${children}</${node.name}>` : `<${node.name}${attrText}/>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
