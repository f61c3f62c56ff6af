/** Hand-made papers shared by the citation, CSL and BibTeX tests. */
import type { CslRecord, Paper } from '../../src/core/model';
import { paperFromRecord, recordOf } from '../../src/core/sources/record';

export function makePaper(overrides: Partial<Paper> & Pick<Paper, 'key' | 'title'>): Paper {
  return { abstract: '', authors: [], authorCount: overrides.authors?.length ?? 0, links: {}, topics: ['misc'], ...overrides };
}

/** A paper as a source reads it from its record. */
export const fromRecord = (key: string, record: CslRecord): Paper => paperFromRecord(key, record);

/** The paper with another title, in its record too (citations read the record). */
export const retitled = (paper: Paper, title: string): Paper => ({ ...paper, title, record: { ...recordOf(paper), title } });

/** A paper with the record a source would give it: its CSL type, and what its fields say. */
function recorded(paper: Paper, type: string, extra: Partial<CslRecord> = {}): Paper {
  return { ...paper, record: { ...recordOf(paper), type, ...extra } };
}

const people = (...names: string[]) =>
  names.map((name) => {
    const space = name.lastIndexOf(' ');
    return { given: name.slice(0, space), family: name.slice(space + 1) };
  });

export const treg = recorded(makePaper({
  key: 'zhou2024treg',
  title: 'T-REG: Preference Optimization with Token-Level Reward Regularization',
  abstract: 'Reinforcement learning from human feedback (RLHF) has been crucial in aligning LLMs.',
  authors: people('Wenxuan Zhou', 'Shujian Zhang', 'Lingxiao Zhao', 'Tao Meng'),
  year: 2024,
  listingDate: { year: 2024, month: 12, day: 3 },
  venue: 'ACL 2025',
  arxivId: '2412.02685',
  links: { arxiv: 'https://arxiv.org/abs/2412.02685', code: 'https://github.com/wzhouad/T-REG' },
}), 'paper-conference', { URL: 'https://arxiv.org/abs/2412.02685' });

export const archer = recorded(makePaper({
  key: 'zhou2024archer',
  title: 'ArCHer: Training Language Model Agents via Hierarchical Multi-Turn RL',
  authors: people('Yifei Zhou', 'Andrea Zanette', 'Jiayi Pan', 'Sergey Levine', 'Aviral Kumar'),
  year: 2024,
  venue: 'ICML 2024',
  arxivId: '2402.19446',
  links: { arxiv: 'https://arxiv.org/abs/2402.19446' },
}), 'paper-conference', { URL: 'https://arxiv.org/abs/2402.19446' });

/** An arXiv preprint without a venue, with an institutional author. */
export const preprint = recorded(makePaper({
  key: 'nvidia2025nemotron',
  title: 'Nemotron-H: A Family of Accurate and Efficient Hybrid Mamba-Transformer Models',
  authors: [{ given: '', family: 'NVIDIA' }],
  year: 2025,
  listingDate: { year: 2025, month: 4, day: 10 },
  arxivId: '2504.03624',
  links: {},
}), 'article', { URL: 'https://arxiv.org/abs/2504.03624' });

/** A journal article with a DOI and no arXiv id. */
export const journal = recorded(makePaper({
  key: 'silver2016mastering',
  title: 'Mastering the game of Go with deep neural networks and tree search',
  authors: people('David Silver', 'Aja Huang'),
  year: 2016,
  venue: 'Nature',
  doi: '10.1038/nature16961',
  links: { pdf: 'https://www.nature.com/articles/nature16961.pdf' },
}), 'article-journal');

/** Everything that could break out of Markdown, HTML, LaTeX or BibTeX. */
export const hostile = recorded(makePaper({
  key: 'evil2024',
  title: 'Break [out](javascript:alert(1)) <img src=x onerror=alert(1)> & {unbalanced \\ } } 100% $x$ #1 a_b ~ ^\nnext',
  authors: [{ given: 'Tom and Jerry', family: 'O}Brien, Jr' }],
  year: 2024,
  venue: 'Journal of {Evil}',
  links: { code: 'javascript:alert(1)' },
}), 'article-journal');
