import assert from 'node:assert/strict';
import { escapeHtml } from '../../src/core/html';
import { arxivAbsUrl, arxivPdfUrl, huggingFacePaperUrl, isSafeExternalUrl, safeExternalUrl } from '../../src/core/urls';

describe('safeExternalUrl', () => {
  it('accepts http and https addresses, normalised', () => {
    assert.equal(safeExternalUrl('https://arxiv.org/abs/2412.02685'), 'https://arxiv.org/abs/2412.02685');
    assert.equal(safeExternalUrl('http://example.org'), 'http://example.org/');
    assert.equal(safeExternalUrl('  HTTPS://Example.ORG/a b'), undefined, 'inner whitespace is refused');
    assert.equal(safeExternalUrl('  HTTPS://Example.ORG/a?q=1#f  '), 'https://example.org/a?q=1#f');
    assert.equal(safeExternalUrl('https://github.com/o/r/(x)'), 'https://github.com/o/r/(x)');
  });

  const refused = [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\u0000script:alert(1)',
    'jav&#x09;ascript:alert(1)',
    'file:///etc/passwd',
    'command:workbench.action.terminal.new',
    'vscode:extension/evil.ext',
    'vscode-insiders://x',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.org/x',
    'https://user:pass@example.org/',
    'https://user@example.org/',
    'https://',
    '//example.org/x',
    '/relative/path',
    'example.org',
    'https://exa\u00a0mple.org',
    '',
    undefined,
  ];
  for (const candidate of refused) {
    it(`refuses ${JSON.stringify(candidate)}`, () => {
      assert.equal(safeExternalUrl(candidate), undefined);
      assert.equal(isSafeExternalUrl(candidate), false);
    });
  }

  it('builds arXiv and Hugging Face addresses', () => {
    assert.equal(arxivAbsUrl('2412.02685'), 'https://arxiv.org/abs/2412.02685');
    assert.equal(arxivPdfUrl('2412.02685'), 'https://arxiv.org/pdf/2412.02685');
    assert.equal(huggingFacePaperUrl('2412.02685'), 'https://huggingface.co/papers/2412.02685');
    assert.ok(isSafeExternalUrl(arxivAbsUrl('2412.02685')));
  });
});

describe('escapeHtml', () => {
  it('escapes markup', () => {
    assert.equal(escapeHtml('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(escapeHtml('</script><script>alert(1)</script>'), '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('escapes quotes so attribute values cannot be closed', () => {
    assert.equal(escapeHtml(`" onmouseover="alert(1)`), '&quot; onmouseover=&quot;alert(1)');
    assert.equal(escapeHtml(`' onmouseover='alert(1)`), '&#39; onmouseover=&#39;alert(1)');
  });

  it('escapes ampersands first, so entities stay text', () => {
    assert.equal(escapeHtml('&lt; & &amp;'), '&amp;lt; &amp; &amp;amp;');
  });

  it('leaves other text alone', () => {
    assert.equal(escapeHtml('Zürich – 東京 `x` ${y}'), 'Zürich – 東京 `x` ${y}');
    assert.equal(escapeHtml(''), '');
  });
});
