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

/** Mermaid draws labels at 16 px; the preview never shows them smaller than 11 px unless the user zooms out. */
export const LABEL_PX = 16;
export const MIN_READABLE_PX = 11;
export const MIN_READABLE_SCALE = MIN_READABLE_PX / LABEL_PX;

/**
 * The default view of a drawing: the whole of it when that keeps labels readable; else readable labels and the
 * user pans for the rest. Either way the drawing is centred in the pane.
 */
export function fitReadable(contentWidth: number, contentHeight: number, width: number, height: number, margin = 16): Viewport {
  if (contentWidth <= 0 || contentHeight <= 0 || width <= 0 || height <= 0) {
    return IDENTITY;
  }
  const whole = Math.min(1, (width - 2 * margin) / contentWidth, (height - 2 * margin) / contentHeight);
  const scale = Math.max(MIN_READABLE_SCALE, whole);
  return { scale, x: (width - contentWidth * scale) / 2, y: (height - contentHeight * scale) / 2 };
}

/** Left-to-right suits a wide pane; a pane taller than wide (the preview beside an editor) reads top-down. */
export function directionFor(width: number, height: number): 'LR' | 'TB' {
  return width > 0 && height > 0 && height > width ? 'TB' : 'LR';
}

/** The Mermaid text with its flowchart direction set. */
export function withDirection(mermaid: string, direction: 'LR' | 'TB'): string {
  return mermaid.replace(/^(\s*flowchart)\s+(LR|RL|TB|TD|BT)\b/, `$1 ${direction}`);
}

export function transformOf(view: Viewport): string {
  return `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
}
