/**
 * LaTeX as found in BibTeX values, decoded to Unicode text for display and search: accents
 * (`{\"u}`, `\'{e}`, `\v{S}`), special letters (`\ss`, `\o`, `\i`), escapes, dashes and quotes,
 * text commands (`\emph{…}`), and the Greek letters and symbols of simple inline math. Grouping braces
 * go (they protect case in BibTeX; the text keeps the case as written).
 */

/** Accent commands → combining marks. */
const ACCENTS: Record<string, string> = {
  '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030c', H: '\u030b', c: '\u0327', d: '\u0323', b: '\u0331', r: '\u030a', k: '\u0328', t: '\u0361',
};

/** Text-mode commands → characters; where several name one character, the first is what an export writes. */
const TEXT_SYMBOLS: Record<string, string> = {
  ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
  dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ', dj: 'đ', DJ: 'Đ',
  textendash: '–', textemdash: '—', textquoteleft: '‘', textquoteright: '’', textquotedblleft: '“', textquotedblright: '”',
  ldots: '…', dots: '…', textellipsis: '…', textbackslash: '\\', textbraceleft: '{', textbraceright: '}',
  textasciitilde: '~', textasciicircum: '^', textunderscore: '_', textbar: '|', textless: '<', textgreater: '>',
  S: '§', P: '¶', copyright: '©', textcopyright: '©', textregistered: '®', texttrademark: '™', pounds: '£', texteuro: '€', euro: '€',
  textdegree: '°', textperiodcentered: '·', textbullet: '•', dag: '†', ddag: '‡', guillemotleft: '«', guillemotright: '»',
  textexclamdown: '¡', textquestiondown: '¿', LaTeX: 'LaTeX', TeX: 'TeX', BibTeX: 'BibTeX',
};

/** Math-mode commands → characters (`$\alpha$`). */
const MATH_SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', varpi: 'ϖ', rho: 'ρ',
  sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  times: '×', cdot: '·', pm: '±', mp: '∓', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈',
  sim: '∼', infty: '∞', to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', leftrightarrow: '↔', ell: 'ℓ',
  partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫', in: '∈', forall: '∀', exists: '∃', emptyset: '∅',
  cup: '∪', cap: '∩', subset: '⊂', subseteq: '⊆', log: 'log', exp: 'exp', min: 'min', max: 'max', star: '⋆', circ: '∘',
};

const SYMBOLS: Record<string, string> = { ...MATH_SYMBOLS, ...TEXT_SYMBOLS };

/** TeX's input ligatures, longest first. */
const LIGATURES: readonly (readonly [string, string])[] = [['---', '—'], ['--', '–'], ['``', '“'], ["''", '”']];
const LIGATURE_START = new Set(['-', '`', "'"]);

const DOTLESS: Record<string, string> = { ı: 'i', ȷ: 'j' };

/** Escaped characters: `\&` is "&". Space-like commands become a space. */
const ESCAPES: Record<string, string> = {
  '&': '&', '%': '%', $: '$', '#': '#', _: '_', '{': '{', '}': '}', ' ': ' ', ',': ' ', ';': ' ', ':': ' ', '!': '', '-': '', '/': '', '\\': ' ',
};

/** A punctuation accent and the letter it goes on, right after "\\". */
const DOUBLED_ACCENT = /^["'`^~=.][\p{L}{]/u;

/** Commands whose first argument is not text: `\href{url}{text}` keeps the text, `\noopsort{…}` only sorts. */
const DROPPED_WITH_FIRST_ARGUMENT = new Set(['href', 'noopsort', 'bibinfo']);

/** CSL rich-text markup, the one citeproc-js and pandoc read in CSL-JSON strings. */
export const CSL_MARKUP = {
  italic: ['<i>', '</i>'],
  bold: ['<b>', '</b>'],
  smallCaps: ['<span style="font-variant:small-caps;">', '</span>'],
  superscript: ['<sup>', '</sup>'],
  subscript: ['<sub>', '</sub>'],
  noCase: ['<span class="nocase">', '</span>'],
} as const satisfies Record<string, readonly [string, string]>;
export type CslMarkup = keyof typeof CSL_MARKUP;

/** Formatting commands with an argument (`\emph{x}`), and declarations that format the rest of their group (`{\em x}`). */
const FORMATTING: Readonly<Record<string, CslMarkup>> = {
  emph: 'italic', textit: 'italic', textsl: 'italic', mkbibemph: 'italic', mkbibitalic: 'italic',
  textbf: 'bold', mkbibbold: 'bold', textsc: 'smallCaps', textsuperscript: 'superscript', textsubscript: 'subscript',
  mbox: 'noCase',
};
const DECLARATIONS: Readonly<Record<string, CslMarkup>> = {
  em: 'italic', it: 'italic', itshape: 'italic', sl: 'italic', slshape: 'italic', bf: 'bold', bfseries: 'bold', sc: 'smallCaps', scshape: 'smallCaps',
};

/** Plain text: markup and case protection dropped, for display and search. */
export function decodeLatex(raw: string): string {
  if (!/[\\{}$~`'-]/.test(raw)) return raw.replace(/\s+/g, ' ').trim();
  return tidy(new Decoder(raw, false, false).run());
}

/**
 * CSL rich text, for titles: a brace group that does not start with a command protects its case
 * (`{T-REG}` → `<span class="nocase">T-REG</span>`, as biber and pandoc read it), `\emph`/`\textbf`/
 * `\textsc`/`\textsuperscript`/`\textsubscript` become CSL's tags. `plainText` of the result is `decodeLatex`.
 */
export function decodeLatexRich(raw: string): string {
  if (!/[\\{}$~`'-]/.test(raw)) return raw.replace(/\s+/g, ' ').trim();
  return tidy(new Decoder(raw, true, false).run()).replace(/<span class="nocase">(\s*)<\/span>/g, '$1');
}

const ANY_MARKUP = new RegExp(
  [...new Set(Object.values(CSL_MARKUP).flat())].map((tag) => tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
  'g',
);

/** CSL rich text without its markup. */
export function plainText(rich: string): string {
  return rich.includes('<') ? rich.replace(ANY_MARKUP, '') : rich;
}

function tidy(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

class Decoder {
  private pos = 0;

  /**
   * @param rich emit CSL markup
   * @param protectedCase already inside a case-protecting group: nested braces are only grouping
   */
  constructor(
    private readonly text: string,
    private readonly rich: boolean,
    private readonly protectedCase: boolean,
  ) {}

  run(): string {
    let out = '';
    const { text } = this;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (ch === '\\') {
        out += this.command();
      } else if (ch === '{') {
        out += this.group();
      } else if (ch === '}' || ch === '$') {
        this.pos++;
      } else if (ch === '~') {
        out += ' ';
        this.pos++;
      } else {
        const ligature = LIGATURE_START.has(ch) ? LIGATURES.find(([from]) => text.startsWith(from, this.pos)) : undefined;
        out += ligature ? ligature[1] : ch;
        this.pos += ligature ? ligature[0].length : 1;
      }
    }
    return out;
  }

  /**
   * A brace group protects its case, unless it is nested in one or is BibTeX's "special character"
   * (`{\"O}`, `{\ss}`: a group that starts with a command other than a formatting one).
   */
  private group(): string {
    const inner = this.groupText();
    const command = /^\\([A-Za-z]+|.)/.exec(inner)?.[1];
    const special = command !== undefined && !Object.hasOwn(FORMATTING, command) && !Object.hasOwn(DECLARATIONS, command);
    if (!this.rich || this.protectedCase || special) return new Decoder(inner, this.rich, this.protectedCase).run();
    return wrap('noCase', new Decoder(inner, true, true).run());
  }

  /** The text of the `{…}` group at the current position, which is left after it. */
  private groupText(): string {
    let depth = 0;
    const start = this.pos;
    for (; this.pos < this.text.length; this.pos++) {
      const code = this.text[this.pos];
      if (code === '\\') this.pos++;
      else if (code === '{') depth++;
      else if (code === '}' && --depth === 0) break;
    }
    this.pos++;
    return this.text.slice(start + 1, this.pos - 1);
  }

  private command(): string {
    const { text } = this;
    this.pos++; // the backslash
    const first = text[this.pos] ?? '';
    const letters = /^[A-Za-z]+/.exec(text.slice(this.pos, this.pos + 40))?.[0];
    if (!letters) {
      this.pos++;
      if (first in ACCENTS) return this.accent(ACCENTS[first]);
      // "Tom{\\'a}s": an accent escaped twice by the tool that wrote the file, not a line break before "'a".
      if (first === '\\' && DOUBLED_ACCENT.test(text.slice(this.pos, this.pos + 2))) return this.accent(ACCENTS[text[this.pos++]]);
      return ESCAPES[first] ?? first;
    }
    this.pos += letters.length;
    if (letters.length === 1 && letters in ACCENTS) return this.accent(ACCENTS[letters]);
    const symbol = SYMBOLS[letters];
    if (symbol !== undefined) {
      // "\ss{}" and "\o " end with an empty group or a space that is not text.
      if (text.startsWith('{}', this.pos)) this.pos += 2;
      else if (text[this.pos] === ' ') this.pos++;
      return symbol;
    }
    if (DROPPED_WITH_FIRST_ARGUMENT.has(letters)) {
      this.argument();
      return this.textArguments();
    }
    const formatting = Object.hasOwn(FORMATTING, letters) ? FORMATTING[letters] : undefined;
    if (formatting) {
      this.skipSpaces();
      const argument = this.text[this.pos] === '{' ? this.groupText() : '';
      return this.rich ? wrap(formatting, new Decoder(argument, true, this.protectedCase || formatting === 'noCase').run()) : new Decoder(argument, false, false).run();
    }
    const declaration = Object.hasOwn(DECLARATIONS, letters) ? DECLARATIONS[letters] : undefined;
    if (declaration) {
      // "{\em x}": the rest of this group.
      const rest = new Decoder(text.slice(this.pos).replace(/^ /, ''), this.rich, this.protectedCase).run();
      this.pos = text.length;
      return this.rich ? wrap(declaration, rest) : rest;
    }
    // Other commands (\url, \textup …): the name goes, the arguments stay as text.
    if (text[this.pos] === ' ') this.pos++;
    return this.textArguments();
  }

  /** The brace groups right after a command, as text rather than case protection. */
  private textArguments(): string {
    let out = '';
    while (this.text[this.pos] === '{') out += new Decoder(this.groupText(), this.rich, this.protectedCase).run();
    return out;
  }

  /** The accented letter: the next group's first character, or the next character. */
  private accent(mark: string): string {
    const argument = this.argument();
    if (!argument) return '';
    // The mark goes after the letter and the marks it already has ("\'{\"u}" is ǘ).
    const [, base, marks, rest] = /^(.)(\p{M}*)(.*)$/su.exec(argument) ?? ['', argument, '', ''];
    // "\'{\i}": the dotless i is how LaTeX spells the i that takes an accent.
    return (DOTLESS[base] ?? base) + marks + mark + rest;
  }

  /** The decoded next argument: `{…}` or a single (possibly escaped) character, after spaces. */
  private argument(): string {
    this.skipSpaces();
    const ch = this.text[this.pos];
    if (ch === undefined) return '';
    if (ch === '{') return new Decoder(this.groupText(), false, false).run();
    if (ch === '\\') return this.command();
    this.pos++;
    return ch;
  }

  private skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }
}

function wrap(markup: CslMarkup, text: string): string {
  if (!text) return '';
  const [open, close] = CSL_MARKUP[markup];
  return `${open}${text}${close}`;
}

// ---------------------------------------------------------------------------------------------
// Unicode → LaTeX, for exports: the same tables read backwards.

/** A character → how LaTeX writes it: the first command of the tables above, accents by their combining mark. */
const ENCODED = new Map<string, string>();
for (const [name, char] of Object.entries(TEXT_SYMBOLS)) if ([...char].length === 1 && !ENCODED.has(char)) ENCODED.set(char, `{\\${name}}`);
for (const [name, char] of Object.entries(MATH_SYMBOLS)) if ([...char].length === 1 && !ENCODED.has(char)) ENCODED.set(char, `$\\${name}$`);
// Ligatures and quotes as people type them: LaTeX prints ' and ` as curly quotes.
for (const [from, char] of LIGATURES) ENCODED.set(char, from);
ENCODED.set('’', "'").set('‘', '`').set('\u00a0', '~');
const ACCENT_OF_MARK = new Map(Object.entries(ACCENTS).filter(([command]) => command !== 't').map(([command, mark]) => [mark, command]));

/** Characters with a meaning in LaTeX or BibTeX, as text commands (braces stay balanced for BibTeX). */
const LATEX_SPECIALS: Record<string, string> = {
  '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#', _: '\\_',
  '{': '\\textbraceleft{}', '}': '\\textbraceright{}', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}', '\\': '\\textbackslash{}',
  '<': '\\textless{}', '>': '\\textgreater{}', '|': '\\textbar{}',
};

/** What `encodeLatex` rewrites: LaTeX's special characters, the first of a ligature pair, and (for ASCII) every non-ASCII character. */
const TO_ENCODE = /[&%$#_{}~^\\<>|]|([-`'])(?=\1)/g;
const TO_ENCODE_ASCII = /[&%$#_{}~^\\<>|]|([-`'])(?=\1)|[^\0-\x7f]/gu;
// Module constants, not literals in the functions: the bundler writes a `\p{…}` literal as a `new RegExp` made at each call.
/** Runs of white space and control characters, written as one space. */
const WHITE_SPACE_RUN = /(?:[^\S\u00a0]|\p{Cc})+/gu;
/** Whether a text has such a run other than a single space (most have none, and stay as they are). */
const UNEVEN_WHITE_SPACE = /[^\S\u00a0 ]|\p{Cc}| {2}/u;
const NON_ASCII_CHARACTER = /[^\p{ASCII}]\p{M}*/gu;
/** A word with the punctuation around it. */
const WORD_IN_PUNCTUATION = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su;

export interface EncodedLatex {
  latex: string;
  /** Characters left as UTF-8 in ASCII mode: LaTeX has no command for them here. */
  unencoded: string[];
}

/**
 * Text as LaTeX that `decodeLatex` reads back as the same text. `ascii` writes every non-ASCII
 * character it can as a LaTeX command (`ę` → `{\k{e}}`, `ß` → `{\ss}`, `α` → `$\alpha$`), for
 * BibTeX and pdflatex; otherwise the text stays UTF-8, for biber.
 */
export function encodeLatex(text: string, ascii: boolean): EncodedLatex {
  const unencoded: string[] = [];
  const flat = UNEVEN_WHITE_SPACE.test(text) ? text.replace(WHITE_SPACE_RUN, ' ') : text;
  // One native pass over the text, stopping only where a character must change (most never do).
  const latex = flat.replace(ascii ? TO_ENCODE_ASCII : TO_ENCODE, (char: string, ligature: string | undefined) => {
    // "--" and "''" typed as characters are not TeX's dash and quote ligatures.
    if (ligature) return `${ligature}{}`;
    if (char in LATEX_SPECIALS) return LATEX_SPECIALS[char];
    const encoded = encodeCharacter(char);
    if (encoded === undefined) unencoded.push(char);
    return encoded ?? char;
  });
  return { latex, unencoded };
}

/** LaTeX as written, with its non-ASCII characters as commands (for BibTeX fields kept as they came). */
export function asciiLatex(latex: string): EncodedLatex {
  const unencoded: string[] = [];
  const converted = latex.replace(NON_ASCII_CHARACTER, (char) => {
    const encoded = encodeCharacter(char.normalize('NFC'));
    if (encoded === undefined) unencoded.push(char);
    return encoded ?? char;
  });
  return { latex: converted, unencoded };
}

const COMMAND_OF_MARKUP: Record<Exclude<CslMarkup, 'noCase'>, string> = {
  italic: 'textit', bold: 'textbf', smallCaps: 'textsc', superscript: 'textsuperscript', subscript: 'textsubscript',
};
const MARKUP_OF_TAG = new Map<string, CslMarkup>(Object.entries(CSL_MARKUP).map(([markup, [open]]) => [open, markup as CslMarkup]));
const CLOSING_TAGS = new Set<string>(Object.values(CSL_MARKUP).map(([, close]) => close));
const TAG = new RegExp(`(${[...MARKUP_OF_TAG.keys(), ...CLOSING_TAGS].map((tag) => tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`);

/**
 * CSL rich text as LaTeX: nocase spans are braces, the other tags `\textit` and friends.
 * `protect` may brace single words of the text outside nocase spans (case protection).
 */
export function encodeLatexRich(rich: string, ascii: boolean, protect?: (word: string) => boolean): EncodedLatex {
  const unencoded: string[] = [];
  const text = (value: string, protectedCase: boolean): string => {
    if (!protect || protectedCase) return collect(encodeLatex(value, ascii));
    return value
      .split(/( +)/)
      .map((token) => {
        const [, before, word, after] = WORD_IN_PUNCTUATION.exec(token) ?? ['', '', token, ''];
        return word && protect(word) ? `${collect(encodeLatex(before, ascii))}{${collect(encodeLatex(word, ascii))}}${collect(encodeLatex(after, ascii))}` : collect(encodeLatex(token, ascii));
      })
      .join('');
  };
  const collect = (encoded: EncodedLatex) => {
    unencoded.push(...encoded.unencoded);
    return encoded.latex;
  };
  // A stack of open tags; a closing tag with nothing open is text.
  const open: { markup: CslMarkup; out: string }[] = [{ markup: 'noCase', out: '' }];
  const isProtected = () => open.slice(1).some((frame) => frame.markup === 'noCase');
  const close = () => {
    const frame = open.pop() as { markup: CslMarkup; out: string };
    const inner = frame.out;
    const latex = frame.markup === 'noCase' ? (inner.startsWith('\\') ? `{{${inner}}}` : `{${inner}}`) : `\\${COMMAND_OF_MARKUP[frame.markup]}{${inner}}`;
    open[open.length - 1].out += latex;
  };
  for (const part of rich.split(TAG)) {
    const markup = MARKUP_OF_TAG.get(part);
    if (markup) open.push({ markup, out: '' });
    else if (CLOSING_TAGS.has(part) && open.length > 1) close();
    else if (part) open[open.length - 1].out += text(part, isProtected());
  }
  while (open.length > 1) close();
  return { latex: open[0].out, unencoded };
}

function encodeCharacter(char: string): string | undefined {
  const known = ENCODED.get(char);
  if (known) return known;
  const [base, ...marks] = [...char.normalize('NFD')];
  if (marks.length === 0 || !/^[A-Za-z]$/.test(base) || !marks.every((mark) => ACCENT_OF_MARK.has(mark))) return undefined;
  let body = base;
  for (const mark of marks) {
    const command = ACCENT_OF_MARK.get(mark) as string;
    body = /[a-zA-Z]/.test(command) ? `\\${command}{${body}}` : `\\${command}${body.length === 1 ? body : `{${body}}`}`;
  }
  return `{${body}}`;
}
