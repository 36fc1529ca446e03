/**
 * A parsed YAML file that remembers where each key and value sits, so an error about a key path
 * can name its line and column. It reads text it is given; it never touches the file system.
 */
import { LineCounter, type Node, isMap, isSeq, isScalar, parseDocument } from 'yaml';

/** A 1-based position in the text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A syntax error of the text. */
export interface YamlSyntaxError {
  message: string;
  line?: number;
  column?: number;
}

/** The result of parsing: the plain value, the syntax errors, and a locator. */
export interface YamlSource {
  value: unknown;
  errors: YamlSyntaxError[];
  /** Position of the value at `path`, or of its key, or of the nearest parent found. */
  locate(path: readonly (string | number)[]): SourcePosition | undefined;
  /** Position of the key `key` inside the mapping at `parent`. */
  locateKey(parent: readonly (string | number)[], key: string): SourcePosition | undefined;
}

type Located = { node: unknown; keyOffset?: number };

function nodeOffset(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? range[0] : undefined;
}

/** Parses `text`; never throws (syntax errors are returned in `errors`). */
export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors: YamlSyntaxError[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    const first = e.message.split('\n')[0] ?? e.message;
    return { message: first.replace(/ at line \d+, column \d+.*$/, ''), line: pos.line, column: pos.col };
  });
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      errors.push({ message: e instanceof Error ? e.message : String(e) });
    }
  }

  const position = (offset: number | undefined): SourcePosition | undefined => {
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  const walk = (path: readonly (string | number)[]): Located[] => {
    const trail: Located[] = [{ node: doc.contents }];
    let node: unknown = doc.contents;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(step));
        if (!pair) break;
        const keyNode = pair.key as Node | null;
        node = pair.value;
        trail.push({ node, keyOffset: keyNode?.range?.[0] });
      } else if (isSeq(node) && typeof step === 'number') {
        node = node.items[step];
        if (node === undefined) break;
        trail.push({ node });
      } else {
        break;
      }
    }
    return trail;
  };

  return {
    value,
    errors,
    locate(path) {
      const trail = walk(path);
      const last = trail[trail.length - 1];
      if (!last) return undefined;
      return position(last.keyOffset ?? nodeOffset(last.node));
    },
    locateKey(parent, key) {
      const trail = walk([...parent, key]);
      if (trail.length !== parent.length + 2) return undefined;
      return position(trail[trail.length - 1]?.keyOffset);
    },
  };
}
