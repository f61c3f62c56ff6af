import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type InlineImages = (markdown: string, read: (file: string) => Buffer) => string;

describe('the packaged README', () => {
  let inlineImages: InlineImages;
  before(async () => {
    ({ inlineImages } = (await import(pathToFileURL(join(__dirname, '../../scripts/package-readme.mjs')).href)) as { inlineImages: InlineImages });
  });
  const files: Record<string, Buffer> = { 'docs/tree.png': Buffer.from('PNG bytes'), 'docs/my shot.jpg': Buffer.from('JPEG') };
  const read = (file: string) => {
    const bytes = files[file];
    if (!bytes) throw new Error(`ENOENT: ${file}`);
    return bytes;
  };

  it('inlines relative images as data: URIs and leaves the rest of the text as it is', () => {
    const markdown = 'Intro [a link](docs/tree.png).\n\n![The tree](docs/tree.png "Tree")\n\n![Shot](docs/my%20shot.jpg)\n';
    const data = Buffer.from('PNG bytes').toString('base64');
    assert.equal(
      inlineImages(markdown, read),
      `Intro [a link](docs/tree.png).\n\n![The tree](data:image/png;base64,${data} "Tree")\n\n![Shot](data:image/jpeg;base64,${Buffer.from('JPEG').toString('base64')})\n`,
    );
  });

  it('keeps images that already have an address', () => {
    const markdown = '![a](https://example.org/a.png) ![b](data:image/png;base64,AAAA) ![c](#top)';
    assert.equal(inlineImages(markdown, read), markdown);
  });

  it('fails on a missing image or one the extension page cannot show', () => {
    assert.throws(() => inlineImages('![gone](docs/gone.png)', read), /ENOENT: docs\/gone\.png/);
    assert.throws(() => inlineImages('![vector](media/icon.svg)', read), /media\/icon\.svg: only PNG, JPEG, GIF or WebP/);
  });
});
