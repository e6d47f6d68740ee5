/**
 * The two escapes the server-rendered pages need. Every value interpolated into HTML goes through
 * `escapeHtml` (catalogue names and resident input are data, never markup); data handed to the
 * inline script goes through `jsonForScript`, because `</script>` inside a JSON string would end
 * the script element early whatever JSON.stringify does.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Safe in element content and in double- or single-quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/**
 * JSON that can sit inside `<script>`: `<`, `>` and `&` become \u escapes (still the same JSON
 * value), and so do U+2028/U+2029, which older JavaScript engines treat as line breaks.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export interface PageHead {
  /** The page's `lang`, e.g. `zh-CN`. */
  lang: string;
  title: string;
  /** The page's stylesheet, inlined (the CSP allows inline styles and nothing from elsewhere). */
  styles: string;
  /** Staff pages stay out of search engines. */
  noindex?: boolean;
}

/** The opening of every server-rendered page, up to and including `<body>`. */
export function pageOpening(head: PageHead): string {
  return `<!doctype html>
<html lang="${escapeHtml(head.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="format-detection" content="telephone=no">
${head.noindex ? '<meta name="robots" content="noindex">\n' : ''}<title>${escapeHtml(head.title)}</title>
<style>${head.styles}</style>
</head>
<body>`;
}
