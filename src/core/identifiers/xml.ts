/**
 * A small, tolerant XML reader for feeds such as arXiv's Atom answers: elements with their
 * namespaces resolved, attributes, text (entities and CDATA decoded). No DTD is processed and no
 * entity is ever expanded beyond the five predefined ones and character references, so a hostile
 * document cannot make it fetch, include or blow up anything. Broken markup is read as far as it
 * goes: an unclosed element ends where its parent ends, a stray end tag is skipped.
 */

export interface XmlElement {
  /** Local name, without its prefix ("primary_category"). */
  name: string;
  /** The namespace URI the prefix (or the default namespace) stands for; "" when there is none. */
  namespace: string;
  /** Attributes by their name as written ("term", "xml:lang"). */
  attributes: Record<string, string>;
  /** Child elements and text, in document order. */
  nodes: (XmlElement | string)[];
}

export interface XmlDocument {
  root?: XmlElement;
  /** What was wrong with the markup, in words; the tree holds what could be read anyway. */
  problems: string[];
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][\w.:-]*/y;

export function parseXml(text: string): XmlDocument {
  return new Reader(text).read();
}

/** The element's children with this local name (and namespace, when given). */
export function children(element: XmlElement, name: string, namespace?: string): XmlElement[] {
  return element.nodes.filter((node): node is XmlElement => typeof node !== 'string' && node.name === name && (namespace === undefined || node.namespace === namespace));
}

export function child(element: XmlElement, name: string, namespace?: string): XmlElement | undefined {
  return children(element, name, namespace)[0];
}

/** All the text inside the element, its descendants' included. */
export function textContent(element: XmlElement): string {
  return element.nodes.map((node) => (typeof node === 'string' ? node : textContent(node))).join('');
}

/** Decodes `&amp;`, `&#233;`, `&#xE9;`; any other entity is left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, body: string) => {
    if (body[0] !== '#') return PREDEFINED[body] ?? whole;
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

interface Open {
  element: XmlElement;
  /** The name as written, to match the end tag. */
  tag: string;
  /** Prefix → namespace URI in scope inside this element. */
  scope: Map<string, string>;
}

class Reader {
  private pos = 0;
  private readonly problems: string[] = [];
  private readonly stack: Open[] = [];
  private root?: XmlElement;

  constructor(private readonly text: string) {}

  read(): XmlDocument {
    const { text } = this;
    while (this.pos < text.length) {
      const lt = text.indexOf('<', this.pos);
      if (lt < 0) {
        this.addText(text.slice(this.pos));
        break;
      }
      if (lt > this.pos) this.addText(text.slice(this.pos, lt));
      this.pos = lt;
      if (text.startsWith('<!--', lt)) this.skipPast('-->', 'a comment');
      else if (text.startsWith('<![CDATA[', lt)) this.cdata();
      else if (text.startsWith('<?', lt)) this.skipPast('?>', 'a processing instruction');
      else if (text.startsWith('<!', lt)) this.skipDeclaration();
      else if (text[lt + 1] === '/') this.endTag();
      else this.startTag();
    }
    if (this.stack.length > 0) this.problems.push(`<${this.stack[this.stack.length - 1].tag}> is never closed`);
    if (!this.root) this.problems.push('there is no element in it');
    return { root: this.root, problems: this.problems };
  }

  private addText(raw: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.element.nodes.push(decodeEntities(raw));
  }

  private skipPast(end: string, what: string): void {
    const at = this.text.indexOf(end, this.pos);
    if (at < 0) {
      this.problems.push(`${what} is never closed`);
      this.pos = this.text.length;
    } else {
      this.pos = at + end.length;
    }
  }

  private cdata(): void {
    const start = this.pos + '<![CDATA['.length;
    const end = this.text.indexOf(']]>', start);
    const top = this.stack[this.stack.length - 1];
    top?.element.nodes.push(this.text.slice(start, end < 0 ? undefined : end));
    if (end < 0) this.problems.push('a CDATA section is never closed');
    this.pos = end < 0 ? this.text.length : end + 3;
  }

  /** `<!DOCTYPE …>`, with an internal subset in brackets: skipped, never interpreted. */
  private skipDeclaration(): void {
    let depth = 0;
    for (let index = this.pos + 2; index < this.text.length; index++) {
      const ch = this.text[index];
      if (ch === '[') depth++;
      else if (ch === ']') depth--;
      else if (ch === '>' && depth <= 0) {
        this.pos = index + 1;
        return;
      }
    }
    this.problems.push('a declaration is never closed');
    this.pos = this.text.length;
  }

  private endTag(): void {
    const close = this.text.indexOf('>', this.pos);
    const tag = this.text.slice(this.pos + 2, close < 0 ? undefined : close).trim();
    this.pos = close < 0 ? this.text.length : close + 1;
    const at = this.stack.map((open) => open.tag).lastIndexOf(tag);
    if (at < 0) {
      this.problems.push(`</${tag}> closes no open element`);
      return;
    }
    if (at < this.stack.length - 1) this.problems.push(`<${this.stack[this.stack.length - 1].tag}> is closed by </${tag}>`);
    this.stack.length = at;
  }

  private startTag(): void {
    NAME.lastIndex = this.pos + 1;
    const match = NAME.exec(this.text);
    if (!match) {
      // A lone "<" in text: keep it as text, as a browser would.
      this.addText('<');
      this.pos++;
      return;
    }
    const tag = match[0];
    this.pos = NAME.lastIndex;
    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    let selfClosing = false;
    for (;;) {
      this.skipSpace();
      const ch = this.text[this.pos];
      if (ch === undefined) {
        this.problems.push(`<${tag}> is cut off`);
        break;
      }
      if (ch === '>') {
        this.pos++;
        break;
      }
      if (ch === '/' && this.text[this.pos + 1] === '>') {
        selfClosing = true;
        this.pos += 2;
        break;
      }
      NAME.lastIndex = this.pos;
      const attribute = NAME.exec(this.text);
      if (!attribute) {
        this.problems.push(`<${tag}> has a malformed attribute`);
        this.pos++;
        continue;
      }
      this.pos = NAME.lastIndex;
      this.skipSpace();
      if (this.text[this.pos] !== '=') {
        attributes[attribute[0]] = '';
        continue;
      }
      this.pos++;
      this.skipSpace();
      attributes[attribute[0]] = this.attributeValue();
    }
    const parent = this.stack[this.stack.length - 1];
    const scope = new Map(parent?.scope ?? []);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'xmlns') scope.set('', value);
      else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
    }
    const colon = tag.indexOf(':');
    const prefix = colon >= 0 ? tag.slice(0, colon) : '';
    const element: XmlElement = { name: colon >= 0 ? tag.slice(colon + 1) : tag, namespace: scope.get(prefix) ?? '', attributes, nodes: [] };
    if (parent) parent.element.nodes.push(element);
    else if (!this.root) this.root = element;
    else this.problems.push(`<${tag}> comes after the root element`);
    if (!selfClosing) this.stack.push({ element, tag, scope });
  }

  private attributeValue(): string {
    const quote = this.text[this.pos];
    if (quote === '"' || quote === "'") {
      const end = this.text.indexOf(quote, this.pos + 1);
      const raw = this.text.slice(this.pos + 1, end < 0 ? undefined : end);
      this.pos = end < 0 ? this.text.length : end + 1;
      return decodeEntities(raw);
    }
    // Unquoted (not XML, but seen in the wild): up to the next space or end of tag.
    const match = /[^\s>]*/y;
    match.lastIndex = this.pos;
    let raw = match.exec(this.text)?.[0] ?? '';
    // `a=b/>`: the slash closes the tag.
    if (raw.endsWith('/') && this.text[this.pos + raw.length] === '>') raw = raw.slice(0, -1);
    this.pos += raw.length;
    return decodeEntities(raw);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }
}
