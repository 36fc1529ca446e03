/**
 * Plain-words descriptions of what a schema node accepts and of the value that was given, for
 * error messages such as `expected an integer 1-65535, got "80a"`. Never validates anything.
 */

/** A schema node, as far as the descriptions read it. */
export interface SchemaNode {
  type?: string | readonly string[];
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  pattern?: string;
  minItems?: number;
  uniqueItems?: boolean;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  if?: { properties?: Record<string, { const?: unknown }> };
  then?: { properties?: Record<string, SchemaNode> };
}

/** Human wording of the patterns used in the schema. */
const PATTERN_TEXT: Record<string, string> = {
  '^[0-9]+\\.[0-9]+(\\.[0-9]+)?$': 'a quoted version like "1.0.0"',
  '^[a-z][a-z0-9_-]*$': 'a name of lowercase letters, digits, _ and -',
  '^[a-z_][a-z0-9_]*$': 'a name of lowercase letters, digits and _',
  '^[0-9]+[kmg]$': 'a size like "100m" (a number then k, m or g)',
  '^[^.#*]+$': 'a topic word (no ".", "#" or "*")',
  '^postgres(ql)?://': 'a postgres:// URL',
};

function typeOf(node: SchemaNode): string | undefined {
  return typeof node.type === 'string' ? node.type : node.type?.[0];
}

function range(node: SchemaNode): string {
  const low =
    node.exclusiveMinimum !== undefined ? `> ${node.exclusiveMinimum}` : node.minimum !== undefined ? `${node.minimum}` : undefined;
  const high =
    node.exclusiveMaximum !== undefined ? `< ${node.exclusiveMaximum}` : node.maximum !== undefined ? `${node.maximum}` : undefined;
  const inclusive = node.exclusiveMinimum === undefined && node.exclusiveMaximum === undefined;
  if (low !== undefined && high !== undefined) {
    return inclusive ? ` ${low}-${high}` : ` ${low.startsWith('>') ? low : `>= ${low}`} and ${high.startsWith('<') ? high : `<= ${high}`}`;
  }
  if (low !== undefined) return low.startsWith('>') ? ` ${low}` : ` >= ${low}`;
  if (high !== undefined) return high.startsWith('<') ? ` ${high}` : ` <= ${high}`;
  return '';
}

/** What `node` accepts, e.g. `an integer 1-65535` or `one of drop, disconnect`. */
export function describeSchema(node: SchemaNode): string {
  if (node.enum) return `one of ${node.enum.map((v) => String(v)).join(', ')}`;
  switch (typeOf(node)) {
    case 'integer':
      return `an integer${range(node)}`;
    case 'number':
      return `a number${range(node)}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      if (node.pattern) return PATTERN_TEXT[node.pattern] ?? `a string matching ${node.pattern}`;
      return node.minLength ? 'a non-empty string' : 'a string';
    case 'array': {
      const item = node.items ? describeSchema(node.items) : 'values';
      const notes = [node.minItems ? 'at least one' : '', node.uniqueItems ? 'no repeats' : ''].filter(Boolean);
      return `a list of ${item}${notes.length ? ` (${notes.join(', ')})` : ''}`;
    }
    case 'object':
      return `a mapping with keys ${Object.keys(node.properties ?? {}).join(', ')}`;
    default:
      return 'a value';
  }
}

/** The given value in a few characters: `"80a"`, `12`, `a list`, `a mapping`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const text = JSON.stringify(value);
    return text.length <= 60 ? text : `a list of ${value.length}`;
  }
  return 'a mapping';
}
