/**
 * Reads the node declarations back out of livedag's Mermaid text: generated id (`n3`, `i0`) -> node
 * name, so a click on a drawn node can name the node. Works for whole and focused drawings alike,
 * because it never assumes that ids follow any list the extension holds. Pure (no DOM).
 */

export interface DrawnNode {
  id: string;
  name: string;
  input: boolean;
}

const DECLARATION = /^\s*([ni]\d+)(\[\["|\[\/"|\["|\(\[")(.*)("\]\]|"\/\]|"\]|"\]\))\s*$/;
const NAMED_ENTITIES: Record<string, string> = { quot: '"', lt: '<', gt: '>', amp: '&', nbsp: '\u00a0' };

export function unescapeLabel(text: string): string {
  return text.replace(/#(\d+|[a-z]+);/g, (whole, code: string) => {
    if (/^\d+$/.test(code)) {
      return String.fromCodePoint(Number(code));
    }
    return NAMED_ENTITIES[code] ?? whole;
  });
}

/** The node name inside a label such as `<i>async</i> load<br/><small>list#91;str#93;</small>`. */
export function nameFromLabel(label: string): string {
  const withoutType = label.split('<br/>')[0] ?? label;
  const withoutMarker = withoutType.replace(/^<i>[^<]*<\/i>\s*/, '');
  return unescapeLabel(withoutMarker.trim());
}

export function drawnNodes(mermaidText: string): DrawnNode[] {
  const found: DrawnNode[] = [];
  for (const line of mermaidText.split('\n')) {
    const match = DECLARATION.exec(line);
    if (match === null) {
      continue;
    }
    const id = match[1] ?? '';
    found.push({ id, name: nameFromLabel(match[3] ?? ''), input: id.startsWith('i') });
  }
  return found;
}

/** The generated id inside a rendered SVG element id, e.g. `graph-3-flowchart-n12-7` -> `n12`. */
export function idFromElementId(elementId: string): string | undefined {
  return /flowchart-([ni]\d+)-\d+$/.exec(elementId)?.[1];
}
