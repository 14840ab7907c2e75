/**
 * Parameter paths over a parsed values tree: `charts.foo.replicas`, keys that contain dots,
 * `$[]` for every element of a list and a numeric segment for one.
 */

export interface ValueAtPath {
  /** The concrete path (`a.b[2].c` for `a.b.$[].c`). */
  path: string;
  found: boolean;
  value?: unknown;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function splitPathText(path: string): string[] {
  // `a.b[0]` and `a.b$[]` are spelled `a.b.0` and `a.b.$[]` internally.
  return path
    .replace(/\$?\[(\d*)\]/g, (_m, index: string) => (index === '' ? '.$[]' : `.${index}`))
    .split('.')
    .filter((s) => s !== '');
}

/**
 * Paths come from schema.yaml entries and the rules' own constants, asked for on every validation:
 * split once. Bounded (a schema is catalog data): past the bound, the oldest half goes.
 */
const splitPaths = new Map<string, readonly string[]>();
const MAX_SPLIT_PATHS = 4096;

function splitPath(path: string): readonly string[] {
  let segments = splitPaths.get(path);
  if (segments === undefined) {
    segments = Object.freeze(splitPathText(path));
    if (splitPaths.size >= MAX_SPLIT_PATHS) {
      let drop = MAX_SPLIT_PATHS / 2;
      for (const key of splitPaths.keys()) {
        if (drop-- === 0) break;
        splitPaths.delete(key);
      }
    }
    splitPaths.set(path, segments);
  }
  return segments;
}

function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/**
 * Every value a parameter path designates in a values tree. A path that leads nowhere gives one
 * entry with `found: false`; `$[]` over an empty list gives none.
 */
export function valuesAtPath(root: unknown, path: string): ValueAtPath[] {
  const segments = splitPath(path);
  const walk = (node: unknown, i: number, at: string): ValueAtPath[] => {
    if (i === segments.length) return [{ path: at, found: true, value: node }];
    const segment = segments[i];
    if (Array.isArray(node)) {
      if (segment === '$[]') return node.flatMap((item, index) => walk(item, i + 1, joinPath(at, index)));
      if (/^\d+$/.test(segment) && Number(segment) < node.length) {
        return walk(node[Number(segment)], i + 1, joinPath(at, Number(segment)));
      }
      return [{ path: joinPath(at, segments.slice(i).join('.')), found: false }];
    }
    if (isPlainObject(node)) {
      // Keys may contain dots (`spectrocloud.com/display-name`): try `a`, then `a.b`, ...
      for (let j = i + 1; j <= segments.length; j++) {
        const key = segments.slice(i, j).join('.');
        if (Object.prototype.hasOwnProperty.call(node, key)) {
          const found = walk(node[key], j, joinPath(at, key));
          if (found.length === 0 || found.some((f) => f.found) || j === segments.length) return found;
        }
      }
    }
    return [{ path: joinPath(at, segments.slice(i).join('.')), found: false }];
  };
  return walk(root, 0, '');
}
