// The parts of markdown-it (untyped) that Lit Notes uses: its own renders (export, command line) and
// the plugin VS Code's Markdown preview loads.
declare module 'markdown-it' {
  export interface Token {
    type: string;
    tag: string;
    content: string;
    markup: string;
    info: string;
    meta: unknown;
    block: boolean;
    hidden: boolean;
    nesting: -1 | 0 | 1;
    map: [number, number] | null;
    children: Token[] | null;
    attrGet(name: string): string | null;
    attrSet(name: string, value: string): void;
  }
  export interface StateCore {
    src: string;
    env: object;
    tokens: Token[];
    md: MarkdownIt;
    Token: new (type: string, tag: string, nesting: -1 | 0 | 1) => Token;
  }
  export interface StateBlock {
    src: string;
    env: object;
    md: MarkdownIt;
    tokens: Token[];
    bMarks: number[];
    eMarks: number[];
    tShift: number[];
    sCount: number[];
    blkIndent: number;
    line: number;
    lineMax: number;
    parentType: string;
    lineLimit: number;
    push(type: string, tag: string, nesting: -1 | 0 | 1): Token;
  }
  export interface StateInline {
    src: string;
    pos: number;
    posMax: number;
    env: object;
    md: MarkdownIt;
    pending: string;
    push(type: string, tag: string, nesting: -1 | 0 | 1): Token;
  }
  interface Ruler<Rule> {
    before(name: string, rule: string, fn: Rule, options?: { alt?: string[] }): void;
    after(name: string, rule: string, fn: Rule, options?: { alt?: string[] }): void;
    push(rule: string, fn: Rule, options?: { alt?: string[] }): void;
  }
  export type RenderRule = (tokens: Token[], index: number, options: object, env: object, self: Renderer) => string;
  export interface Renderer {
    rules: Record<string, RenderRule | undefined>;
    render(tokens: Token[], options: object, env: object): string;
  }
  export interface Options {
    html?: boolean;
    linkify?: boolean;
    typographer?: boolean;
    breaks?: boolean;
  }
  export default class MarkdownIt {
    constructor(options?: Options);
    options: Options;
    core: { ruler: Ruler<(state: StateCore) => void> };
    block: {
      ruler: Ruler<(state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean>;
      tokenize(state: StateBlock, startLine: number, endLine: number): void;
    };
    inline: { ruler: Ruler<(state: StateInline, silent: boolean) => boolean> };
    renderer: Renderer;
    use(plugin: (md: MarkdownIt) => void): this;
    parse(source: string, env: object): Token[];
    render(source: string, env?: object): string;
  }
}
