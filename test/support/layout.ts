import type { Page } from "playwright-core";

/**
 * The area (CSS px²) of the text of the first element matching `text` that the box of the first
 * element matching `overlay` covers on the page. The text is measured itself (a Range over the
 * element's contents), so an element's empty width does not count; the overlay by its border box
 * (its background hides what is under it). 0 when either is missing or not displayed.
 */
export function coveredText(page: Page, overlay: string, text: string): Promise<number> {
  return page.evaluate(
    ([so, st]) => {
      const el = (selector: string) => {
        const found = document.querySelector<HTMLElement>(selector);
        return found && found.getClientRects().length > 0 ? found : null;
      };
      const over = el(so!);
      const under = el(st!);
      if (!over || !under) return 0;
      const box = over.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(under);
      let area = 0;
      for (const r of range.getClientRects()) area += Math.max(0, Math.min(box.right, r.right) - Math.max(box.left, r.left)) * Math.max(0, Math.min(box.bottom, r.bottom) - Math.max(box.top, r.top));
      return area;
    },
    [overlay, text] as const,
  );
}
