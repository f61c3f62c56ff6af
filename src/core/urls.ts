const SAFE_PROTOCOLS = new Set(['https:', 'http:']);

/**
 * Returns the normalised URL when it is an absolute http(s) address, else undefined.
 * Everything that opens a link from paper data goes through here: `javascript:`, `file:`,
 * `command:` and `vscode:` addresses would run code or touch the machine.
 */
export function safeExternalUrl(candidate: string | undefined): string | undefined {
  if (!candidate) return undefined;
  const trimmed = candidate.trim();
  // Control characters and whitespace inside a URL are a classic way to smuggle a scheme past checks.
  if (/[\s\p{Cc}]/u.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol) || !url.hostname) return undefined;
  if (url.username || url.password) return undefined;
  return url.toString();
}

export function isSafeExternalUrl(candidate: string | undefined): boolean {
  return safeExternalUrl(candidate) !== undefined;
}

/**
 * An arXiv identifier, new style ("2412.02685") or old ("math.GT/0309136"), with an optional version
 * ("v2"); group 1 is the id without it. A pattern's source, to be anchored or embedded.
 */
export const ARXIV_ID = '(\\d{4}\\.\\d{4,5}|[a-z-]+(?:\\.[A-Z]{2})?/\\d{7})(?:v\\d+)?';

export function arxivAbsUrl(arxivId: string): string {
  return `https://arxiv.org/abs/${arxivId}`;
}

export function arxivPdfUrl(arxivId: string): string {
  return `https://arxiv.org/pdf/${arxivId}`;
}

export function huggingFacePaperUrl(arxivId: string): string {
  return `https://huggingface.co/papers/${arxivId}`;
}
