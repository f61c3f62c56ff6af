/** The command line's words: `litnotes COMMAND [OPTIONS] [PATH...]`, nothing but what the usage names. */

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliArgs {
  command: string;
  workspace?: string;
  libraries: string[];
  bundled: boolean;
  to?: string;
  keys?: string[];
  out?: string;
  style?: string;
  locale?: string;
  json: boolean;
  paths: string[];
}

type ValueOption = 'workspace' | 'library' | 'to' | 'keys' | 'out' | 'style' | 'locale';

/** Which options each command takes, so that a misplaced one is an error rather than ignored. */
export const COMMANDS: Readonly<Record<string, { options: readonly string[]; paths: boolean; summary: string }>> = {
  export: {
    options: ['workspace', 'library', 'no-bundled', 'to', 'keys', 'out'],
    paths: false,
    summary: 'export [--workspace DIR] [--library FILE]... [--no-bundled] --to csljson|bibtex|biblatex [--keys k1,k2] [--out FILE]',
  },
  format: {
    options: ['workspace', 'library', 'no-bundled', 'style', 'locale', 'keys', 'json'],
    paths: false,
    summary: 'format [--workspace DIR] [--library FILE]... [--no-bundled] [--style ID|FILE.csl] [--locale xx-XX] [--keys k1,k2] [--json]',
  },
  render: {
    options: ['workspace', 'library', 'no-bundled', 'style', 'locale', 'to', 'out'],
    paths: true,
    summary: 'render NOTE.md [--workspace DIR] [--library FILE]... [--no-bundled] [--style ID|FILE.csl] [--locale xx-XX] --to html|md [--out FILE]',
  },
  check: {
    options: ['workspace', 'library', 'no-bundled'],
    paths: true,
    summary: 'check [--workspace DIR] [--library FILE]... [--no-bundled] PATH...',
  },
  topics: {
    options: ['workspace', 'library', 'no-bundled', 'json'],
    paths: false,
    summary: 'topics [--workspace DIR] [--library FILE]... [--no-bundled] [--json]',
  },
};

export function usage(): string {
  return [
    'Usage: litnotes COMMAND [OPTIONS]',
    '',
    ...Object.values(COMMANDS).map(({ summary }) => `  litnotes ${summary}`),
    '',
    '  --workspace DIR   read litnotes.* settings from DIR/.vscode/settings.json (library files, style)',
    '  --library FILE    a library file (.bib, CSL-JSON .json, listing .txt/.md); may be repeated',
    '  --no-bundled      leave out the 65 bundled papers',
    '  --keys k1,k2      only these citation keys',
    '',
    'Exit status: 0 done, 1 `check` or `render` found unknown keys, 2 bad input or usage.',
  ].join('\n');
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { command: 'help', libraries: [], bundled: true, json: false, paths: [] };
  }
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`unknown command "${command}"`);
  const args: CliArgs = { command, libraries: [], bundled: true, json: false, paths: [] };
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (!word.startsWith('--') || word === '--') {
      if (word === '--') {
        args.paths.push(...rest.slice(i + 1));
        break;
      }
      if (!spec.paths) throw new UsageError(`${command} takes no paths ("${word}")`);
      args.paths.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const name = word.slice(2, equals < 0 ? undefined : equals);
    if (!spec.options.includes(name)) throw new UsageError(`${command} has no option --${name}`);
    if (name === 'no-bundled') args.bundled = false;
    else if (name === 'json') args.json = true;
    else {
      const value = equals < 0 ? rest[++i] : word.slice(equals + 1);
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      setValue(args, name as ValueOption, value);
    }
  }
  if (spec.paths && args.paths.length === 0) throw new UsageError(`${command} needs at least one PATH`);
  return args;
}

function setValue(args: CliArgs, name: ValueOption, value: string): void {
  switch (name) {
    case 'library':
      args.libraries.push(value);
      return;
    case 'keys':
      args.keys = [...(args.keys ?? []), ...value.split(',').map((key) => key.trim().replace(/^@/, '')).filter(Boolean)];
      return;
    default:
      args[name] = value;
  }
}
