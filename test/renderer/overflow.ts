// Clipped and overflowing text on the page as it is now, for the language tests: any visible text
// cut by an ancestor that hides overflow (hidden, clip, or an ellipsis that is truncating), any
// element with text reaching past the viewport's sides, and a page that scrolls sideways.
// Screen-reader-only text (clipped to 1 px on purpose) is left out. Not a test file itself.
import type { Page } from 'playwright-core';

export interface Overflow {
  kind: 'clipped' | 'ellipsis' | 'beyond-viewport' | 'page-scrolls-sideways';
  text: string;
  where: string;
}

// The few DOM shapes used in the page (the project's TypeScript has no DOM library outside renderer/).
interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}
interface Node {
  nodeType: number;
  textContent: string | null;
}
interface Element extends Node {
  tagName: string;
  className: unknown;
  parentElement: Element | null;
  children: ArrayLike<Element> & Iterable<Element>;
  childNodes: ArrayLike<Node> & Iterable<Node>;
  clientLeft: number;
  clientTop: number;
  clientWidth: number;
  clientHeight: number;
  scrollWidth: number;
  scrollHeight: number;
  getAttribute(name: string): string | null;
  closest(selector: string): Element | null;
  getBoundingClientRect(): Rect;
  getClientRects(): { length: number };
}
interface Style {
  visibility: string;
  clip: string;
  clipPath: string;
  overflowX: string;
  overflowY: string;
  textOverflow: string;
}
interface Document {
  documentElement: Element;
  body: Element;
  querySelectorAll(selector: string): Iterable<Element>;
  createRange(): { setStartBefore(node: Node): void; setEndAfter(node: Node): void; getBoundingClientRect(): Rect };
}

export function findOverflows(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    type El = Element;
    const doc = (globalThis as unknown as { document: Document }).document;
    const win = globalThis as unknown as { getComputedStyle(e: Element): Style };
    const out: { kind: 'clipped' | 'ellipsis' | 'beyond-viewport' | 'page-scrolls-sideways'; text: string; where: string }[] = [];
    const viewport = doc.documentElement.clientWidth;
    const describe = (el: Element): string => {
      const parts: string[] = [];
      for (let node: Element | null = el; node && parts.length < 4; node = node.parentElement) {
        const role = node.getAttribute('role');
        parts.unshift(`${node.tagName.toLowerCase()}${role ? `[role=${role}]` : ''}${node.className && typeof node.className === 'string' ? `.${node.className.split(' ')[0]}` : ''}`);
      }
      return parts.join(' > ');
    };
    // Visually hidden on purpose (Fluent's screen-reader text): tiny and clipped.
    const srOnly = (el: Element): boolean => {
      for (let node: Element | null = el; node; node = node.parentElement) {
        const r = node.getBoundingClientRect();
        const style = win.getComputedStyle(node);
        if ((r.width <= 1 && r.height <= 1) || style.clip === 'rect(0px, 0px, 0px, 0px)' || style.clipPath === 'inset(50%)') return true;
      }
      return false;
    };
    const clips = (value: string): boolean => value === 'hidden' || value === 'clip';

    if (doc.documentElement.scrollWidth > viewport + 1) {
      // Name the innermost elements that reach past the right edge: the ones to fix.
      const wide = [...doc.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > viewport + 1 && ![...el.children].some((c) => c.getBoundingClientRect().right > viewport + 1));
      out.push({ kind: 'page-scrolls-sideways', text: `${doc.documentElement.scrollWidth} > ${viewport}`, where: wide.slice(0, 3).map(describe).join(' | ') || 'html' });
    }

    for (const el of doc.querySelectorAll('body *')) {
      if (el.closest('option, script, style, [aria-hidden="true"]')) continue;
      const textNodes = [...el.childNodes].filter((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '');
      if (textNodes.length === 0) continue;
      const style = win.getComputedStyle(el);
      if (style.visibility === 'hidden' || el.getClientRects().length === 0 || srOnly(el)) continue;
      const text = textNodes.map((n) => n.textContent).join(' ').trim().slice(0, 80);
      // The text's own box (a range over its text nodes), not the element's, which may be wider.
      const range = doc.createRange();
      range.setStartBefore(textNodes[0]!);
      range.setEndAfter(textNodes[textNodes.length - 1]!);
      const box = range.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > viewport + 1 || box.left < -1) out.push({ kind: 'beyond-viewport', text, where: describe(el) });
      const self = el as El;
      if (style.textOverflow === 'ellipsis' && self.scrollWidth > self.clientWidth + 1) out.push({ kind: 'ellipsis', text, where: describe(el) });
      // Cut by the element itself or by any ancestor that hides what overflows it.
      for (let node: Element | null = el; node && node !== doc.body; node = node.parentElement) {
        const s = win.getComputedStyle(node);
        const cutX = clips(s.overflowX);
        const cutY = clips(s.overflowY);
        if (!cutX && !cutY) continue;
        const r = node.getBoundingClientRect();
        const left = r.left + node.clientLeft;
        const top = r.top + node.clientTop;
        const beyondX = cutX && (box.left < left - 1 || box.right > left + (node as El).clientWidth + 1);
        const beyondY = cutY && (box.top < top - 1 || box.bottom > top + (node as El).clientHeight + 1);
        if (beyondX || beyondY) {
          out.push({ kind: 'clipped', text, where: `${describe(el)} (cut by ${describe(node)})` });
          break;
        }
      }
    }
    return out;
  });
}
