/**
 * The shape of src/, checked on every run so it stays the shape the README's Development section
 * describes:
 *  - the layering: a file imports only from layers below its own, or from its own folder;
 *  - no file over 200 lines;
 *  - no function over 40 lines, unless a `// data table:` comment directly above it (or in the
 *    comment block above it) says it is a table of data, which may be longer.
 *
 * The TypeScript 7 package has no JavaScript compiler API, so the files are parsed with oxc's
 * TypeScript parser, which rolldown (the bundler vitest runs on) ships as `rolldown/parseAst`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'rolldown/parseAst';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const MAX_FILE_LINES = 200;
const MAX_FUNCTION_LINES = 40;
const DATA_TABLE_MARK = /\/\/\s*data table:/;

// data table: the layers, lowest first (the same list as the README's Development section).
const LAYERS: string[][] = [
  ['errors.ts', 'stdio.ts', 'secrets.ts'],
  ['store/'],
  ['ini/', 'shells/', 'keyring/'],
  ['aws/', 'mfa/'],
  ['session/'],
  ['integration/', 'setup/', 'doctor/', 'status/', 'exec/', 'policy/', 'console/', 'keys/', 'server/', 'list/'],
  ['commands/'],
  ['cli.ts', 'main.ts'],
];

interface Place {
  layer: number;
  /** The folder (`aws/`), or for the files at the top of src/ their layer: they form one group. */
  group: string;
}

/** Where a file (relative to src/) sits in the layering; undefined when it is in none. */
function placeOf(file: string): Place | undefined {
  for (const [layer, entries] of LAYERS.entries()) {
    const entry = entries.find((name) => (name.endsWith('/') ? file.startsWith(name) : file === name));
    if (entry !== undefined) return { layer, group: entry.endsWith('/') ? entry : `layer ${layer} (top of src/)` };
  }
  return undefined;
}

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(c|m)?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative(SRC, path)] : [];
  });
}

type AstNode = { type: string; start: number; end: number; [key: string]: unknown };

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';
}

/** Every node of the tree, parents before children. */
function* walk(node: unknown): Generator<AstNode> {
  if (Array.isArray(node)) {
    for (const child of node) yield* walk(child);
    return;
  }
  if (!isNode(node)) return;
  yield node;
  for (const [key, value] of Object.entries(node)) if (key !== 'parent' && typeof value === 'object') yield* walk(value);
}

function parse(file: string): { text: string; ast: unknown } {
  const text = readFileSync(join(SRC, file), 'utf8');
  return { text, ast: parseAst(text, { lang: 'ts', sourceType: 'module' }, file) };
}

/** Module specifiers a file names: import/export-from (type-only ones too), import(), `import('x').T`. */
function specifiers(ast: unknown): string[] {
  const found: string[] = [];
  for (const node of walk(ast)) {
    const source = node.type === 'ImportDeclaration' || node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ImportExpression'
      ? node.source
      : node.type === 'TSImportType' ? ((node.argument as AstNode | undefined)?.literal ?? node.source ?? node.argument) : undefined;
    if (isNode(source) && typeof source.value === 'string') found.push(source.value);
  }
  return found;
}

/** `../aws/sts.js` from `session/login.ts` → `aws/sts.ts`; undefined for packages and node: modules. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(SRC, resolve(SRC, dirname(from), specifier)).replace(/\.(c|m)?js$/, (ext) => ext.replace('js', 'ts'));
}

/** Every import that points up a layer, or sideways into another folder of the same layer. */
function layeringViolations(): string[] {
  const violations: string[] = [];
  for (const file of sourceFiles()) {
    const from = placeOf(file);
    if (!from) {
      violations.push(`${file}: in no layer (add its folder to LAYERS here and to the README's Development section)`);
      continue;
    }
    for (const specifier of specifiers(parse(file).ast)) {
      const target = resolveImport(file, specifier);
      const to = target === undefined ? undefined : placeOf(target);
      if (target === undefined || !to || to.group === from.group || to.layer < from.layer) continue;
      const how = to.layer > from.layer ? `up (layer ${from.layer} → ${to.layer})` : `sideways (layer ${from.layer}: ${from.group} → ${to.group})`;
      violations.push(`${file} imports ${target}: ${how}`);
    }
  }
  return violations;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The named functions of a file: declarations, methods, and functions assigned to a name or a property. */
function namedFunctions(ast: unknown): Array<{ name: string; node: AstNode }> {
  const functions: Array<{ name: string; node: AstNode }> = [];
  const isFunction = (value: unknown) => isNode(value) && /^(FunctionExpression|ArrowFunctionExpression)$/.test(value.type);
  const nameOf = (key: unknown) => (isNode(key) ? String(key.name ?? key.value ?? '[computed]') : '?');
  for (const node of walk(ast)) {
    if (node.type === 'FunctionDeclaration' || node.type === 'TSDeclareFunction') {
      if (node.body) functions.push({ name: nameOf(node.id), node });
    } else if (node.type === 'MethodDefinition' && isFunction(node.value) && (node.value as AstNode).body) {
      functions.push({ name: nameOf(node.key), node });
    } else if ((node.type === 'PropertyDefinition' || node.type === 'Property') && isFunction(node.value)) {
      functions.push({ name: nameOf(node.key), node });
    } else if (node.type === 'VariableDeclarator' && isFunction(node.init)) {
      functions.push({ name: nameOf(node.id), node });
    }
  }
  return functions;
}

/** True when the comment lines directly above `line` (1-based) hold the data-table mark. */
function markedAsDataTable(lines: string[], line: number): boolean {
  for (let i = line - 2; i >= 0 && /^\s*(\/\/|\/\*|\*)/.test(lines[i]!); i--) if (DATA_TABLE_MARK.test(lines[i]!)) return true;
  return false;
}

function longFunctions(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles()) {
    const { text, ast } = parse(file);
    const lines = text.split('\n');
    for (const { name, node } of namedFunctions(ast)) {
      const first = lineOf(text, node.start);
      const length = lineOf(text, node.end) - first + 1;
      // The mark may sit above the statement that holds the function (`export const f = …`).
      if (length > MAX_FUNCTION_LINES && !markedAsDataTable(lines, first)) found.push(`${file}:${first} ${name}: ${length} lines`);
    }
  }
  return found;
}

describe('structure of src/', () => {
  it('the parser sees what the rules need (imports of every kind, functions, lines)', () => {
    const ast = parseAst("import type { A } from './a.js';\nexport * from './b.js';\nconst f = async () => import('./c.js');\nclass K { m() {} }\n", { lang: 'ts' });
    expect(specifiers(ast)).toEqual(['./a.js', './b.js', './c.js']);
    expect(namedFunctions(ast).map(({ name }) => name)).toEqual(['f', 'm']);
    expect(lineOf('a\nb\nc', 4)).toBe(3);
    expect(markedAsDataTable(['// data table: codes', '/** doc */', 'const T = {'], 3)).toBe(true);
    expect(markedAsDataTable(['// data table: codes', '', 'const T = {'], 3)).toBe(false);
  });

  it('every import points down the layers, or stays in its own folder', () => {
    expect(layeringViolations()).toEqual([]);
  });

  it(`no file in src/ is over ${MAX_FILE_LINES} lines`, () => {
    const long = sourceFiles()
      .map((file) => ({ file, lines: readFileSync(join(SRC, file), 'utf8').replace(/\n$/, '').split('\n').length }))
      .filter(({ lines }) => lines > MAX_FILE_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it(`no function in src/ is over ${MAX_FUNCTION_LINES} lines (a data table may be, marked with a \`// data table:\` comment above it)`, () => {
    expect(longFunctions()).toEqual([]);
  });
});
