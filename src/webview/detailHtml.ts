import { escapeHtml } from '../core/html';

export interface DetailHtmlResources {
  /** `webview.cspSource` */
  cspSource: string;
  /** Fresh for every page: the only script allowed to run carries it. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** The page shell: paper text never goes in here, the script renders it from a message with DOM APIs. */
export function detailHtml(resources: DetailHtmlResources): string {
  const { cspSource, nonce, scriptUri, styleUri, codiconsUri } = resources;
  const csp = contentSecurityPolicy(cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeHtml(codiconsUri)}">
  <link rel="stylesheet" href="${escapeHtml(styleUri)}">
  <title>Paper</title>
</head>
<body>
  <main id="root"><p class="status">Loading…</p></main>
  <script nonce="${escapeHtml(nonce)}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>`;
}
