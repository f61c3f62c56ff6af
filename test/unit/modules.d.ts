// The few parts of untyped development packages the unit tests use: js-yaml comes with ESLint and
// mocha (markdown-it's are in src/types).
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
