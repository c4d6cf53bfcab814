/**
 * Zoom and pan arithmetic for the preview: a translation plus a uniform scale, clamped. Pure.
 */

export interface Viewport {
  x: number;
  y: number;
  scale: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 8;
export const IDENTITY: Viewport = { x: 0, y: 0, scale: 1 };

/** Zoom by `factor` keeping the content point under (px, py) (container coordinates) in place. */
export function zoomAt(view: Viewport, factor: number, px: number, py: number): Viewport {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const applied = scale / view.scale;
  return { scale, x: px - (px - view.x) * applied, y: py - (py - view.y) * applied };
}

export function panBy(view: Viewport, dx: number, dy: number): Viewport {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** Fit content of the given size into the container with a margin, never enlarging past 1:1. */
export function fit(contentWidth: number, contentHeight: number, width: number, height: number, margin = 16): Viewport {
  if (contentWidth <= 0 || contentHeight <= 0 || width <= 0 || height <= 0) {
    return IDENTITY;
  }
  const scale = Math.max(
    MIN_SCALE,
    Math.min(1, (width - 2 * margin) / contentWidth, (height - 2 * margin) / contentHeight),
  );
  return { scale, x: (width - contentWidth * scale) / 2, y: Math.max(margin, (height - contentHeight * scale) / 2) };
}

export function transformOf(view: Viewport): string {
  return `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
}
