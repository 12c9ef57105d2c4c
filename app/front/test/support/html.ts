// Helpers for rendering tests: a real HTML parser (parse5, the WHATWG algorithm browsers use)
// so that escaping is checked on the parsed document, not by guessing at strings.
import { parse } from 'parse5';
import type { VNode } from 'preact';
import { renderDocument } from '../../src/views/render';
import type { PageContext } from '../../src/views/layout';
import type { Measurement } from '../../src/api/types';

/** Strings an attacker could store as station, kind or unit. */
export const HOSTILE = [
  '<script>alert("xss")</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(2)",
  '</textarea><script>alert(3)</script>',
  '<svg onload=alert(4)>',
];

export const PAGE: PageContext = {
  csrfToken: 'test-csrf-token',
  cssHref: '/static/style.css?v=test',
  iconHref: '/static/favicon.svg?v=test',
  status: { environment: 'test', frontVersion: 'front-1.0.0', apiVersion: 'api-2.0.0', apiHealth: 'up' },
  user: { sub: 'editor', displayName: 'Eddie Editor', role: 'editor' },
  canWrite: true,
  signInHref: '/auth/sign-in?returnTo=%2Fmeasurements',
};

/** The same page context for a signed-in viewer: nothing to change is offered. */
export const VIEWER_PAGE: PageContext = {
  ...PAGE,
  user: { sub: 'viewer', displayName: 'Vera Viewer', role: 'viewer' },
  canWrite: false,
};

export function measurement(overrides: Partial<Measurement> = {}): Measurement {
  return {
    id: '42',
    station: 'lyon-01',
    kind: 'temperature',
    value: 21.5,
    unit: '°C',
    recordedAt: '2024-05-01T10:00:00.000Z',
    createdAt: '2024-05-01T10:00:01.000Z',
    updatedAt: '2024-05-01T10:00:01.000Z',
    version: 3,
    ...overrides,
  };
}

export interface Element {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly text: string;
}

/** Renders a page and flattens the parsed document into its elements (with their text content). */
export function renderElements(page: VNode): { html: string; elements: Element[] } {
  const html = renderDocument(page);
  const elements: Element[] = [];
  type Node = { nodeName: string; tagName?: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; value?: string; content?: Node };
  const textOf = (node: Node): string =>
    node.nodeName === '#text' ? (node.value ?? '') : (node.childNodes ?? node.content?.childNodes ?? []).map(textOf).join('');
  const walk = (node: Node) => {
    if (node.tagName) {
      elements.push({ tag: node.tagName, attrs: Object.fromEntries((node.attrs ?? []).map((a) => [a.name, a.value])), text: textOf(node) });
    }
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
  };
  walk(parse(html) as unknown as Node);
  return { html, elements };
}

/** Fails when the parsed page holds anything an injected string could have created. */
export function expectNoInjectedMarkup(elements: readonly Element[]): void {
  expect(elements.filter((e) => e.tag === 'script')).toEqual([]);
  expect(elements.filter((e) => e.tag === 'img')).toEqual([]);
  expect(elements.filter((e) => e.tag === 'svg' && !('viewBox' in e.attrs))).toEqual([]);
  const handlers = elements.flatMap((e) => Object.keys(e.attrs).filter((name) => name.startsWith('on')).map((name) => `${e.tag}[${name}]`));
  expect(handlers).toEqual([]);
}

/** The text of the whole document, as a browser would show it. */
export function textOf(elements: readonly Element[]): string {
  return elements.find((e) => e.tag === 'html')?.text ?? '';
}
