/**
 * The dependency rules of docs/ARCHITECTURE.md, enforced on every import under src/.
 *
 * Each module is parsed with the TypeScript compiler (so `import type` is told apart from a value
 * import, and `import()`, `export ... from` and `declare module` count too) and every relative
 * specifier is resolved to a module path under src/. A rule lists the imports that break it.
 *
 * ALLOWED holds the breaks that exist today, while issue #14 moves code into place: a new break
 * fails, and so does an entry that no longer breaks anything (delete it: the list only shrinks).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Feature folders: each owns a slice of the domain and may sit on the shared layers, never under them. */
const FEATURES = ['app', 'auth', 'audit', 'catalog', 'cli', 'events', 'http', 'oci', 'profiles', 'registries', 'webhooks'];
/** Shared layers: below every feature. */
const SHARED = ['graphql', 'packs', 'artifacts', 'platform'];

interface Import {
  /** The importing module, relative to src/ (`catalog/pack.ingest.ts`). */
  from: string;
  /** The imported module relative to src/, or the package name for a bare specifier. */
  to: string;
  /** A package (`express`, `node:fs`), not a module of this repository. */
  bare: boolean;
  /** Erased at compile time: `import type`, only `type` specifiers, `import('x').T`, `declare module`. */
  typeOnly: boolean;
  /** The names imported (`default`, `*` for a namespace or a side-effect import). */
  names: string[];
}

function modulesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    // Generated code (Prisma client, typed GraphQL documents) follows its generator's rules.
    if (entry.isDirectory()) {
      if (entry.name !== 'generated') found.push(...modulesUnder(full));
    } else if (/\.(ts|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      found.push(full);
    }
  }
  return found;
}

function resolve(fromFile: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const target = path.resolve(path.dirname(fromFile), specifier);
  // ESM specifiers name the emitted file (`./x.js`); the source is `./x.ts` when it exists.
  const source = target.replace(/\.js$/, '.ts');
  const exists = (p: string) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  return path.relative(SRC, exists(source) ? source : target).split(path.sep).join('/');
}

/** `new X(...)` in a module, where X is a class imported from another module. */
interface Construction {
  from: string;
  name: string;
  /** The module X comes from. */
  to: string;
  bare: boolean;
}

const CONSTRUCTIONS: Construction[] = [];

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, /\.m?ts$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const from = path.relative(SRC, file).split(path.sep).join('/');
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean, names: string[]) => found.push({ from, to: resolve(file, specifier), bare: !specifier.startsWith('.'), typeOnly, names });
  /** Local name -> the module it is imported from. */
  const bindings = new Map<string, { to: string; bare: boolean }>();
  const news: ts.NewExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const names = [
        ...(clause?.name ? ['default'] : []),
        ...(clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings) ? ['*'] : []),
        ...(named ?? []).map((e) => (e.propertyName ?? e.name).text),
      ];
      // `import { type A, type B }` is erased as a whole (no verbatimModuleSyntax here).
      const typeOnly = Boolean(clause && (clause.isTypeOnly || (!clause.name && named && named.length > 0 && named.every((e) => e.isTypeOnly))));
      add(node.moduleSpecifier.text, typeOnly, clause ? names : ['*']);
      for (const element of named ?? []) bindings.set(element.name.text, { to: resolve(file, node.moduleSpecifier.text), bare: !node.moduleSpecifier.text.startsWith('.') });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      const typeOnly = node.isTypeOnly || Boolean(named && named.length > 0 && named.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier.text, typeOnly, named ? named.map((e) => (e.propertyName ?? e.name).text) : ['*']);
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      add(node.name.text, true, ['*']); // module augmentation
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true, ['*']);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument.text, false, ['*']);
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) news.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const node of news) {
    const name = (node.expression as ts.Identifier).text;
    const binding = bindings.get(name);
    if (binding) CONSTRUCTIONS.push({ from, name, ...binding });
  }
  return found;
}

/** `catalog/pack.ingest.ts` -> `catalog`; a module at the top of src/ (`config.ts`, `errors.ts`) -> `.`. */
function folderOf(module: string): string {
  return module.includes('/') ? module.split('/')[0]! : '.';
}

const IMPORTS = modulesUnder(SRC).flatMap(importsOf);

/** Files that may hold SQL: the stores and repositories of their tables, the database itself, migrations and the composition root. */
const SQL_OWNERS = [
  /\.store(\.[\w-]+)?\.ts$/,
  /\.repository\.ts$/,
  /^platform\/(database|migrate)\.ts$/,
  /^app\//,
];
/** Named like a repository, but a Helm chart repository (the HTTP kind), not the owner of a table. */
const NOT_SQL_OWNERS = ['oci/helm.repository.ts'];
const ownsSql = (module: string) => SQL_OWNERS.some((p) => p.test(module)) && !NOT_SQL_OWNERS.includes(module);

/** What the CLI (a client on the user's machine, talking to the service over HTTP) may import. */
const CLI_MAY_IMPORT = (i: Import) =>
  ['cli', 'packs'].includes(folderOf(i.to)) ||
  i.to === 'errors.ts' ||
  // The one sha256 helper imports only Node.
  i.to === 'platform/hashing.ts' ||
  /^platform\/http-client(\.[\w-]+)?\.ts$/.test(i.to) ||
  // Domain types (plain data, no behaviour) describe the files the CLI reads and writes.
  (i.typeOnly && /\.model\.ts$/.test(i.to));

interface Rule {
  /** The key of its ALLOWED entries. */
  id: string;
  /** What the rule says (the test's title). */
  says: string;
  breaks(i: Import): boolean;
}

/**
 * The features from the bottom up; one rank holds features that don't know each other. The sync
 * engine (registries) reaches the catalog through the PackSink interface that catalog implements.
 */
const FEATURE_RANK = new Map(
  [['auth'], ['events'], ['registries'], ['catalog'], ['profiles', 'audit', 'http', 'webhooks'], ['oci'], ['app']].flatMap((rank, n) => rank.map((f) => [f, n] as const)),
);

const RULES: Rule[] = [
  {
    id: 'shared-layers',
    says: 'the shared layers (graphql, packs, artifacts, platform) import no feature',
    breaks: (i) => SHARED.includes(folderOf(i.from)) && FEATURES.includes(folderOf(i.to)),
  },
  {
    id: 'platform',
    says: 'platform imports nothing above it (only src/errors.ts, src/config.ts and generated code)',
    breaks: (i) => folderOf(i.from) === 'platform' && !i.bare && !['platform', '.', 'generated'].includes(folderOf(i.to)),
  },
  {
    id: 'app-on-top',
    says: 'only src/app imports src/app (the composition root is the top)',
    breaks: (i) => folderOf(i.to) === 'app' && folderOf(i.from) !== 'app',
  },
  {
    id: 'feature-order',
    says: 'a feature imports only features below it: auth < events < registries < catalog < profiles, audit, http, webhooks < oci < app',
    breaks: (i) => {
      const [from, to] = [FEATURE_RANK.get(folderOf(i.from)), FEATURE_RANK.get(folderOf(i.to))];
      return from !== undefined && to !== undefined && folderOf(i.from) !== folderOf(i.to) && to >= from;
    },
  },
  {
    id: 'cli-is-a-client',
    says: 'the CLI imports only itself, the pack format, src/errors.ts, the sha256 helper, the HTTP client and domain types',
    breaks: (i) => folderOf(i.from) === 'cli' && !i.bare && !CLI_MAY_IMPORT(i),
  },
  {
    id: 'nothing-imports-cli',
    says: 'nothing on the server imports the CLI',
    breaks: (i) => folderOf(i.to) === 'cli' && folderOf(i.from) !== 'cli',
  },
  {
    id: 'prisma-in-stores',
    says: 'only stores import the Prisma client at run time (type-only imports and the generated enums are fine)',
    breaks: (i) =>
      !ownsSql(i.from) && !i.typeOnly && ((i.to.startsWith('generated/prisma/') && i.to !== 'generated/prisma/enums.ts') || i.to.startsWith('@prisma/')),
  },
  {
    id: 'db-in-stores',
    says: 'only stores take the database handle (Db): services call stores',
    breaks: (i) => !ownsSql(i.from) && i.to === 'platform/database.ts' && i.names.some((n) => ['Db', 'Database', 'openDatabase'].includes(n)),
  },
];

/**
 * Today's breaks, as a failure prints them (`from -> to`). A new break fails; so does an entry
 * whose import is gone (delete it).
 */
const ALLOWED: Record<string, string[]> = {
};

/** The long-lived objects the composition root builds once and passes down. */
const WIRED_CLASS = /(Service|Store|Repository|Engine|Scheduler|Seeder|Limiter|Recorder|Sink|Box)$/;

/** Today's constructions of such classes outside src/app, as `from: new Name`. */
const ALLOWED_CONSTRUCTIONS: string[] = [
  'registries/sync/engine.ts: new RunRecorder',
];

const key = (i: Import) => `${i.from} -> ${i.to}`;

const BUILT_OUTSIDE_APP = new Set(
  CONSTRUCTIONS.filter((c) => folderOf(c.from) !== 'app' && WIRED_CLASS.test(c.name) && !c.bare).map((c) => `${c.from}: new ${c.name}`),
);

describe('architecture: the dependency rules of docs/ARCHITECTURE.md', () => {
  it('reads the imports of every module under src/', () => {
    expect(IMPORTS.length).toBeGreaterThan(300);
    expect(IMPORTS.some((i) => i.from === 'app/schema.ts' && i.to === 'catalog/index.ts' && !i.typeOnly)).toBe(true);
    expect(IMPORTS.some((i) => i.from === 'catalog/index.ts' && i.to === 'graphql/context.ts' && i.typeOnly)).toBe(true);
  });

  it.each(RULES.map((r) => [r.says, r] as const))('%s', (_says, rule) => {
    const allowed = new Set(ALLOWED[rule.id] ?? []);
    const breaks = [...new Set(IMPORTS.filter((i) => rule.breaks(i)).map(key))].filter((k) => !allowed.has(k)).sort();
    expect(breaks).toEqual([]);
  });

  it('only src/app builds services, stores, engines and schedulers (a module may build its own class)', () => {
    const allowed = new Set(ALLOWED_CONSTRUCTIONS);
    expect([...BUILT_OUTSIDE_APP].filter((k) => !allowed.has(k)).sort()).toEqual([]);
  });

  it('allow-lists only what still breaks a rule (delete an entry once its break is gone)', () => {
    const stale = [
      ...Object.entries(ALLOWED).flatMap(([id, entries]) => {
        const rule = RULES.find((r) => r.id === id);
        if (!rule) return [`no rule "${id}"`];
        const breaking = new Set(IMPORTS.filter((i) => rule.breaks(i)).map(key));
        return entries.filter((e) => !breaking.has(e)).map((e) => `${id}: ${e}`);
      }),
      ...ALLOWED_CONSTRUCTIONS.filter((e) => !BUILT_OUTSIDE_APP.has(e)),
    ];
    expect(stale).toEqual([]);
  });
});
