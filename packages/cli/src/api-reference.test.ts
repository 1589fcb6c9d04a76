// The API reference explains itself and cannot rot: every function that `a4c-admin` exports
// has a description and an `@example`, every option of its option types a description, and
// each example compiles (strict, NodeNext, as a caller's module) against the sources: an
// example that names an option or a result field that no longer exists fails here. So do the
// TypeScript blocks of the package's README and of the repository README's "As a library".
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packages = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = join(packages, 'cli/src/index.ts');
/** Where else the library's usage is shown in TypeScript: the package's README, the repository's "As a library". */
const READMES = [join(packages, 'cli/README.md'), join(packages, '../README.md')];
/** The package names that examples import, pointed at the sources (as vitest.config.ts does for the tests). */
const SOURCES: Record<string, string[]> = {
  'a4c-admin': [ENTRY],
  '@a4c-admin/core': [join(packages, 'core/src/index.ts')],
  '@a4c-admin/core/internal': [join(packages, 'core/src/internal.ts')],
  '@a4c-admin/es-snapshot': [join(packages, 'es-snapshot/src/index.ts')],
  '@a4c-admin/es-snapshot/internal': [join(packages, 'es-snapshot/src/internal.ts')],
  '@a4c-admin/migrations': [join(packages, 'migrations/src/index.ts')],
  '@a4c-admin/migrations/internal': [join(packages, 'migrations/src/internal.ts')],
};
const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  typeRoots: [join(packages, 'cli/node_modules/@types')],
  skipLibCheck: true,
  baseUrl: packages,
  paths: SOURCES,
};

interface ExportedFunction {
  name: string;
  description: string;
  examples: string[];
}

/** The public surface as the compiler sees it: each exported declaration, aliases followed. */
function publicDeclarations(program: ts.Program): Array<{ name: string; declaration: ts.Declaration; symbol: ts.Symbol }> {
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(ENTRY);
  if (!entry) throw new Error(`cannot read ${ENTRY}`);
  const moduleSymbol = checker.getSymbolAtLocation(entry);
  if (!moduleSymbol) throw new Error(`${ENTRY} is not a module`);
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    if (!declaration) throw new Error(`${exported.name} has no declaration`);
    return { name: exported.name, declaration, symbol };
  });
}

/** The code of each ```ts block of the `@example` tags. */
function examplesOf(declaration: ts.Declaration): string[] {
  return ts
    .getJSDocTags(declaration)
    .filter((tag) => tag.tagName.text === 'example')
    .flatMap((tag) => [...(ts.getTextOfJSDocComment(tag.comment) ?? '').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!));
}

/** The ```ts blocks of a README (of the repository's, those of its "As a library" section). */
async function readmeExamples(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  const library = text.indexOf('## As a library');
  const next = text.indexOf('\n## ', library + 1);
  const section = library < 0 ? text : text.slice(library, next < 0 ? undefined : next);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

function describedFunctions(program: ts.Program): ExportedFunction[] {
  const checker = program.getTypeChecker();
  return publicDeclarations(program)
    .filter(({ declaration }) => ts.isFunctionDeclaration(declaration))
    .map(({ name, declaration, symbol }) => ({
      name,
      description: ts.displayPartsToString(symbol.getDocumentationComment(checker)),
      examples: examplesOf(declaration),
    }));
}

/** `Type.option` for each property, of each exported *Options type, that has no description. */
function undescribedOptions(program: ts.Program): string[] {
  const checker = program.getTypeChecker();
  return publicDeclarations(program)
    .filter(({ name, declaration }) => name.endsWith('Options') && ts.isInterfaceDeclaration(declaration))
    .flatMap(({ name, symbol }) =>
      checker
        .getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))
        .filter((property) => ts.displayPartsToString(property.getDocumentationComment(checker)).trim() === '')
        .map((property) => `${name}.${property.name}`),
    );
}

describe('the API reference of a4c-admin', () => {
  let program: ts.Program;
  let functions: ExportedFunction[];
  let folder: string;

  beforeAll(async () => {
    program = ts.createProgram([ENTRY], COMPILER_OPTIONS);
    functions = describedFunctions(program);
    folder = await mkdtemp(join(tmpdir(), 'a4c-examples-'));
    // Reading the sources and the types they use (the Elasticsearch client's are large) takes a few seconds.
  }, 120_000);

  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('describes every exported function and gives it an example', () => {
    expect(functions.map((fn) => fn.name)).toEqual(expect.arrayContaining(['backup', 'restore', 'list', 'verify', 'migrate', 'isA4cAdminError']));
    expect(functions.filter((fn) => fn.description.trim() === '').map((fn) => fn.name)).toEqual([]);
    expect(functions.filter((fn) => fn.examples.length === 0).map((fn) => fn.name)).toEqual([]);
  });

  it('describes every option of every exported option type', () => {
    expect(undescribedOptions(program)).toEqual([]);
  });

  it("compiles every example, and the READMEs' TypeScript, as a strict ES module of a caller", async () => {
    const examples: Array<[string, string[]]> = functions.map((fn) => [fn.name, fn.examples]);
    for (const [index, readme] of READMES.entries()) {
      const blocks = await readmeExamples(readme);
      expect(blocks.length, `TypeScript blocks in ${readme}`).toBeGreaterThan(0);
      examples.push([`readme${index}`, blocks]);
    }
    const files: string[] = [];
    for (const [name, blocks] of examples) {
      for (const [index, example] of blocks.entries()) {
        const file = join(folder, `${name}-${index}.mts`);
        await writeFile(file, example);
        files.push(file);
      }
    }
    const compiled = ts.createProgram(files, COMPILER_OPTIONS, undefined, program);
    // Only the examples are checked (the sources have their own typecheck): seconds, not a minute.
    const problems = [
      ...compiled.getOptionsDiagnostics(),
      ...files.flatMap((file) => {
        const source = compiled.getSourceFile(file);
        return source ? [...compiled.getSyntacticDiagnostics(source), ...compiled.getSemanticDiagnostics(source)] : [];
      }),
    ].map((diagnostic) => {
      const where = diagnostic.file
        ? `${diagnostic.file.fileName.slice(folder.length + 1)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
  });
});
