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

const SYMBOLS: Record<string, string> = {
  ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
  dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ', dj: 'đ', DJ: 'Đ',
  textendash: '–', textemdash: '—', textquoteleft: '‘', textquoteright: '’', textquotedblleft: '“', textquotedblright: '”',
  ldots: '…', dots: '…', textellipsis: '…', textbackslash: '\\', textbraceleft: '{', textbraceright: '}',
  textasciitilde: '~', textasciicircum: '^', textunderscore: '_', textbar: '|', textless: '<', textgreater: '>',
  S: '§', P: '¶', copyright: '©', textcopyright: '©', textregistered: '®', texttrademark: '™', pounds: '£', euro: '€',
  textdegree: '°', textperiodcentered: '·', textbullet: '•', dag: '†', ddag: '‡', LaTeX: 'LaTeX', TeX: 'TeX', BibTeX: 'BibTeX',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', varpi: 'ϖ', rho: 'ρ',
  sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  times: '×', cdot: '·', pm: '±', mp: '∓', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈',
  sim: '∼', infty: '∞', to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', leftrightarrow: '↔', ell: 'ℓ',
  partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫', in: '∈', forall: '∀', exists: '∃', emptyset: '∅',
  cup: '∪', cap: '∩', subset: '⊂', subseteq: '⊆', log: 'log', exp: 'exp', min: 'min', max: 'max', star: '⋆', circ: '∘',
};

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

  /** A brace group: case protection, unless it starts with a command (`{\"O}`, `{\em x}`) or is nested in one. */
  private group(): string {
    const inner = this.groupText();
    if (!this.rich || this.protectedCase || inner.startsWith('\\')) return new Decoder(inner, this.rich, this.protectedCase).run();
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
    const [base, ...rest] = Array.from(argument);
    // "\'{\i}": the dotless i is how LaTeX spells the i that takes an accent.
    return (DOTLESS[base] ?? base) + mark + rest.join('');
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
