import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readItem } from '../../src/core/zotero/api';
import {
  annotationLink,
  DEFAULT_COLOR_LABELS,
  inReadingOrder,
  readAnnotation,
  renderAnnotation,
  unknownAnnotationPlaceholders,
  type AnnotationContext,
  type ZoteroAnnotation,
} from '../../src/core/zotero/annotations';
import { findAnnotationSection, planAnnotationImport, sectionHash } from '../../src/core/zotero/annotationSection';
import type { TextEdit } from '../../src/core/bibliography';
import { preview } from './markdownRender';

const TEMPLATE = fs.readFileSync(path.join(__dirname, '../../media/annotation-template.md'), 'utf8');
const context: AnnotationContext = { citekey: 'zhou2024treg', library: 'users/0', colorLabels: DEFAULT_COLOR_LABELS };

function annotation(fields: Partial<ZoteroAnnotation> & Pick<ZoteroAnnotation, 'key' | 'type'>): ZoteroAnnotation {
  return { attachment: 'PDFK2345', text: '', comment: '', sortIndex: '00000|000000|00000', tags: [], ...fields };
}

function apply(text: string, edit: TextEdit | undefined): string {
  assert.ok(edit, 'an edit');
  return text.slice(0, edit.startOffset) + edit.newText + text.slice(edit.endOffset);
}

describe('Zotero annotations', () => {
  it('reads an annotation item of the local API, with its page from the position', () => {
    const read = readItem({
      key: 'ANNK2345',
      version: 3,
      meta: {},
      data: {
        key: 'ANNK2345', version: 3, parentItem: 'PDFK2345', itemType: 'annotation', annotationType: 'highlight', annotationText: 'Token-level rewards help.',
        annotationComment: 'Key claim', annotationColor: '#FFD400', annotationPageLabel: '12', annotationSortIndex: '00011|001234|00073',
        annotationPosition: '{"pageIndex":11,"rects":[[1,2,3,4]]}', tags: [{ tag: 'claim' }], relations: {}, dateAdded: '2024-01-01T00:00:00Z', dateModified: '2024-01-01T00:00:00Z',
      },
    });
    assert.ok(read);
    assert.deepEqual(readAnnotation(read), {
      key: 'ANNK2345', attachment: 'PDFK2345', type: 'highlight', text: 'Token-level rewards help.', comment: 'Key claim', color: '#ffd400',
      pageLabel: '12', pageIndex: 11, sortIndex: '00011|001234|00073', tags: ['claim'],
    });
    const epub = readItem({ key: 'ANNK2346', version: 1, meta: {}, data: { key: 'ANNK2346', itemType: 'annotation', parentItem: 'PDFK2345', annotationType: 'note', annotationPosition: '{"type":"FragmentSelector","value":"epubcfi(/6/4)"}', annotationSortIndex: '00001|00002' } });
    assert.equal(epub && readAnnotation(epub)?.pageIndex, undefined, 'an EPUB position has no page');
    const notAnnotation = readItem({ key: 'ANNK2347', version: 1, meta: {}, data: { key: 'ANNK2347', itemType: 'attachment', parentItem: 'PDFK2345' } });
    assert.equal(notAnnotation && readAnnotation(notAnnotation), undefined);
  });

  it('sorts in Zotero`s reading order: page, then place on the page', () => {
    const order = inReadingOrder([
      annotation({ key: 'CCCC2345', type: 'note', sortIndex: '00002|000010|00100' }),
      annotation({ key: 'AAAA2345', type: 'highlight', sortIndex: '00000|000500|00300' }),
      annotation({ key: 'BBBB2345', type: 'highlight', sortIndex: '00000|000020|00700' }),
    ]);
    assert.deepEqual(order.map((entry) => entry.key), ['BBBB2345', 'AAAA2345', 'CCCC2345']);
  });

  it('writes every kind through the built-in template: quote, comment, colour label, citation with page, link', () => {
    const kinds: ZoteroAnnotation[] = [
      annotation({ key: 'HIGH2345', type: 'highlight', text: 'Line one\nline two', comment: 'Why it matters', color: '#ffd400', pageLabel: '12', pageIndex: 11 }),
      annotation({ key: 'UNDE2345', type: 'underline', text: 'Underlined', color: '#ff6666', pageLabel: 'xii', pageIndex: 3 }),
      annotation({ key: 'NOTE2345', type: 'note', comment: 'A sticky note', color: '#5fb236', pageLabel: '3', pageIndex: 2 }),
      annotation({ key: 'TEXT2345', type: 'text', comment: 'A text box', color: '#2ea8e5', pageLabel: '4', pageIndex: 3 }),
      annotation({ key: 'IMAG2345', type: 'image', comment: 'Figure 2: the loss curve', color: '#a28ae5', pageLabel: '5', pageIndex: 4 }),
      annotation({ key: 'INKK2345', type: 'ink', color: '#123456' }),
    ];
    const blocks = kinds.map((entry) => renderAnnotation(entry, TEMPLATE, context).markdown);
    assert.equal(blocks[0], '> Line one\n> line two\n\nWhy it matters\n\nYellow highlight · [@zhou2024treg, p. 12] · [Open in Zotero](zotero://open-pdf/library/items/PDFK2345?page=12&annotation=HIGH2345)');
    assert.equal(blocks[1], '> Underlined\n\nRed underline · [@zhou2024treg, p. xii] · [Open in Zotero](zotero://open-pdf/library/items/PDFK2345?page=4&annotation=UNDE2345)');
    assert.equal(blocks[2], 'A sticky note\n\nGreen note · [@zhou2024treg, p. 3] · [Open in Zotero](zotero://open-pdf/library/items/PDFK2345?page=3&annotation=NOTE2345)');
    assert.equal(blocks[3], 'A text box\n\nBlue text box · [@zhou2024treg, p. 4] · [Open in Zotero](zotero://open-pdf/library/items/PDFK2345?page=4&annotation=TEXT2345)');
    assert.equal(blocks[4], 'Figure 2: the loss curve\n\nPurple image · [@zhou2024treg, p. 5] · [Open in Zotero](zotero://open-pdf/library/items/PDFK2345?page=5&annotation=IMAG2345)', 'an image is its comment');
    assert.equal(blocks[5], '\\#123456 drawing · [@zhou2024treg] · [Open in Zotero](zotero://open-pdf/library/items/PDFK2345?annotation=INKK2345)', 'an unnamed colour is shown as text; no page, no locator');
  });

  it('writes the user`s colour labels as they are (a tag such as #important)', () => {
    const rendered = renderAnnotation(annotation({ key: 'HIGH2345', type: 'highlight', text: 'x', color: '#FF6666' }), '{{colorLabel}} {{quote}}', { ...context, colorLabels: { '#ff6666': '#important' } });
    assert.equal(rendered.markdown, '#important x');
  });

  it('keeps hostile annotation text inert: no link, command, HTML, emphasis, heading or citation comes of it', () => {
    const hostile = '[Click me](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> *x* __init__ @fake2020 `code`\n# Heading\n1. item';
    const rendered = renderAnnotation(
      annotation({ key: 'HOST2345', type: 'highlight', text: hostile, comment: hostile, pageLabel: '1] (javascript:alert(1)) [@evil', pageIndex: 0, tags: ['<b>tag</b>'] }),
      `${TEMPLATE}\n{{tags}}`,
      context,
    ).markdown;
    const html = preview.render(rendered);
    assert.doesNotMatch(html, /<img|<b>|<em>|<strong>|<code>|<h1>|<ol>|href="command:|href="javascript:/);
    assert.equal([...html.matchAll(/<a href="([^"]*)"/g)].map((match) => match[1]).join(' '), 'zotero://open-pdf/library/items/PDFK2345?page=1&amp;annotation=HOST2345', 'the one link is Lit Notes` own');
    assert.match(rendered, /\[@zhou2024treg, p\. 1\\\] \(javascript:alert\(1\)\) \\\[\\@evil\]/, 'the page label cannot end the citation or add a key');
  });

  it('makes group library links, and keeps a 100,000-character comment whole but on its lines', () => {
    assert.equal(annotationLink('groups/42', annotation({ key: 'HIGH2345', type: 'highlight', pageIndex: 0 })), 'zotero://open-pdf/groups/42/items/PDFK2345?page=1&annotation=HIGH2345');
    const long = 'word '.repeat(20_000).trim();
    const rendered = renderAnnotation(annotation({ key: 'LONG2345', type: 'note', comment: long }), TEMPLATE, context).markdown;
    assert.ok(rendered.startsWith(long), 'the comment is the user`s data: whole');
  });

  it('names placeholders the template does not know, with their line', () => {
    assert.deepEqual(unknownAnnotationPlaceholders('> {{quote}}\n{{colour}} {{ page }}'), [{ name: 'colour', line: 2 }]);
    assert.equal(renderAnnotation(annotation({ key: 'HIGH2345', type: 'highlight', text: 'q' }), '{{quote}} {{colour}}', context).markdown, 'q {{colour}}');
  });
});

describe('the annotations section of a note', () => {
  const note = '---\ncitekey: "zhou2024treg"\n---\n\n# T-REG\n\nMy own summary.\n';
  const first = [
    { key: 'AAAA2345', markdown: '> first quote\n\n[Open](zotero://open-pdf/library/items/PDFK2345?page=1&annotation=AAAA2345)' },
    { key: 'BBBB2345', markdown: '> second quote\n\n[Open](zotero://open-pdf/library/items/PDFK2345?page=2&annotation=BBBB2345)' },
  ];

  it('is added at the end under a heading, the rest of the note untouched', () => {
    const plan = planAnnotationImport(note, first);
    assert.equal(plan.state, 'new');
    const written = apply(note, plan.replace);
    assert.ok(written.startsWith(note), 'nothing before it changes');
    const section = findAnnotationSection(written);
    assert.equal(section.kind, 'section');
    assert.ok(section.kind === 'section' && !section.edited);
    assert.match(written, /\n## Annotations from Zotero\n\n<!-- litnotes:zotero-annotations -->\n> first quote\n/);
    assert.match(written, /<!-- \/litnotes:zotero-annotations [0-9a-f]{8} -->\n$/);
  });

  it('importing again adds new ones and updates changed ones inside the section only; the user`s lines stay', () => {
    const written = apply(note, planAnnotationImport(note, first).replace);
    const withMine = `${written}\n## My thoughts\n\nThis stays.\n`.replace('My own summary.', 'My own summary, edited.');
    const again = [{ ...first[0], markdown: first[0].markdown.replace('first quote', 'first quote, corrected') }, first[1], { key: 'CCCC2345', markdown: '> third\n\n[Open](zotero://open-pdf/library/items/PDFK2345?page=3&annotation=CCCC2345)' }];
    const plan = planAnnotationImport(withMine, again);
    assert.deepEqual([plan.state, plan.added, plan.total], ['update', 1, 3]);
    const updated = apply(withMine, plan.replace);
    assert.match(updated, /first quote, corrected/);
    assert.match(updated, /> third/);
    assert.ok(updated.includes('My own summary, edited.') && updated.endsWith('\n## My thoughts\n\nThis stays.\n'), 'lines outside the section are kept byte for byte');
    assert.equal(planAnnotationImport(updated, again).state, 'unchanged');
  });

  it('recognises a section edited by hand and offers to add only the missing annotations', () => {
    const written = apply(note, planAnnotationImport(note, first).replace);
    const edited = written.replace('> second quote', '> second quote\n\nMy comment inside the section.');
    const plan = planAnnotationImport(edited, [...first, { key: 'CCCC2345', markdown: '> third\n\n[Open](zotero://open-pdf/library/items/PDFK2345?page=3&annotation=CCCC2345)' }]);
    assert.deepEqual([plan.state, plan.added], ['edited', 1]);
    const added = apply(edited, plan.addMissing);
    assert.ok(added.includes('My comment inside the section.'), 'the hand edit is kept');
    assert.match(added, /annotation=BBBB2345\)\n\n> third\n\n\[Open\]\(zotero:\/\/open-pdf\/library\/items\/PDFK2345\?page=3&annotation=CCCC2345\)\n<!-- \/litnotes/);
    const still = findAnnotationSection(added);
    assert.ok(still.kind === 'section' && still.edited, 'still an edited section: the next import asks again');
    assert.equal(planAnnotationImport(added, first).addMissing, undefined, 'nothing missing: nothing to add');
  });

  it('does not count line ends or trailing spaces an editor changes as an edit', () => {
    const written = apply(note, planAnnotationImport(note, first).replace);
    const crlf = written.replace(/\n/g, '\r\n').replace('> first quote', '> first quote   ');
    const section = findAnnotationSection(crlf);
    assert.ok(section.kind === 'section' && !section.edited);
    assert.equal(sectionHash('a\r\nb  \n'), sectionHash('a\nb'));
    const plan = planAnnotationImport(crlf, first);
    assert.ok(apply(crlf, plan.replace ?? { startOffset: 0, endOffset: 0, newText: '' }).includes('\r\n> first quote\r\n'), 'a CRLF note gets CRLF lines');
  });

  it('leaves unpaired markers alone and says where; markers in fenced code are no section', () => {
    const broken = `${note}\n<!-- litnotes:zotero-annotations -->\n> x\n`;
    assert.deepEqual([planAnnotationImport(broken, first).state, planAnnotationImport(broken, first).line], ['broken', 9]);
    const fenced = `${note}\n\`\`\`\n<!-- litnotes:zotero-annotations -->\n<!-- /litnotes:zotero-annotations 00000000 -->\n\`\`\`\n`;
    assert.equal(planAnnotationImport(fenced, first).state, 'new');
  });
});
