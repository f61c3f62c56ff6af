// The few parts of untyped development packages the unit tests use. markdown-it comes with
// @vscode/vsce (VS Code's Markdown preview renders with it), js-yaml with ESLint and mocha.
declare module 'markdown-it' {
  export interface Token {
    type: string;
    tag: string;
    content: string;
    children: Token[] | null;
    attrGet(name: string): string | null;
  }
  export default class MarkdownIt {
    constructor(options?: { html?: boolean; linkify?: boolean });
    parse(source: string, env: object): Token[];
    render(source: string): string;
  }
}

declare module 'js-yaml' {
  export function load(text: string): unknown;
}
