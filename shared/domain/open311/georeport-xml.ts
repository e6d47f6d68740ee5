/**
 * GeoReport v2's XML, from the same values the JSON answers carry. The spec defines its JSON as
 * the Spark-convention mapping of its XML, so the mapping is mechanical: a list is a container
 * element holding one element per item under the spec's singular name (`services` → `service`,
 * `attributes` → `attribute` …), an object's fields are child elements in order, absent fields are
 * left out. No namespace, UTF-8 with the XML declaration, as the spec asks. A dozen lines rather
 * than an XML library: the output is elements and text only.
 */

/** The spec's element name for the items of each list it defines. */
const itemNameOf: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
};

/** XML 1.0 cannot carry these characters at all, escaped or not. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing exactly those characters
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const escapeText = (text: string) =>
  text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const item = itemNameOf[name] ?? 'item';
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value).map(([key, child]) => element(key, child));
    return `<${name}>${children.join('')}</${name}>`;
  }
  return `<${name}>${escapeText(String(value))}</${name}>`;
}

/** A whole document: `root` is the top element (`services`, `service_definition`, `errors` …). */
export const georeportXml = (root: string, value: unknown): string =>
  `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}`;
