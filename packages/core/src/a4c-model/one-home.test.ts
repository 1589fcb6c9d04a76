// The A4C model is the one place that names an A4C index, a data version or one of a4c-admin's
// own indices (its marker, its snapshot metadata): every other source file of the packages gets
// them from the model. This test reads every source file (not tests, fixtures or test helpers,
// not the model itself) and fails on a string literal equal to one of those names, naming file:line.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { KNOWN_DATA_VERSIONS } from './data-versions.js';
import { allA4cIndexNames } from './index-names.js';
import { toolOwnIndexNames } from './tool-index-names.js';

const MODEL_FOLDER = dirname(fileURLToPath(import.meta.url));
const REPOSITORY = join(MODEL_FOLDER, '..', '..', '..', '..');
const PACKAGES = join(REPOSITORY, 'packages');
/** Folders of test helpers and fixtures, which may spell out names to check the code against them. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'fixtures', 'e2e']);

/**
 * `file:literal` pairs allowed to spell a model name, each with its reason. Keep it tiny: a
 * literal that names an A4C index or a data version belongs in the model.
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'packages/cli/src/cli.ts:user': "commander's parse mode (`from: 'user'`), not the user index",
  'packages/core/src/config-schema.ts:csar': 'the csar/ folder of the A4C data folder (a default backup part), not the csar index',
  'packages/core/src/config-problems.ts:csar': 'the csar/ folder of the A4C data folder in a config hint, not the csar index',
  'packages/migrations/src/steps/step-1.2.0.ts:orchestrator': 'the 1.2.0 step names the indices its rules act on: rule P1 reads the orchestrators',
};

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && path !== MODEL_FOLDER) files.push(...sourceFiles(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.test-support.ts') && !entry.name.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files;
}

function packageSources(): string[] {
  return readdirSync(PACKAGES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      try {
        return sourceFiles(join(PACKAGES, entry.name, 'src'));
      } catch {
        return [];
      }
    });
}

interface Literal {
  where: string;
  text: string;
}

/**
 * Every string literal of a file (plain and template without substitutions), with its line, and
 * the pieces of templates with substitutions trimmed of separators (`${prefix}plugin` gives
 * `plugin`), so that a name glued to a prefix is found too.
 */
function literals(path: string): Literal[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const file = relative(REPOSITORY, path).split(sep).join('/');
  const found: Literal[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ where: `${file}:${line}`, text: node.text });
    } else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ where: `${file}:${line}`, text: node.text.replace(/^[-_./:]+|[-_./:]+$/g, '') });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the A4C model is the one home of index names and data versions', () => {
  it('finds the package sources it scans', () => {
    const files = packageSources().map((path) => relative(REPOSITORY, path).split(sep).join('/'));
    expect(files).toContain('packages/core/src/operations/restore.ts');
    expect(files).toContain('packages/migrations/src/steps/step-1.2.0.ts');
    expect(files).toContain('packages/cli/src/commands/migrate-command.ts');
    expect(files.some((file) => file.startsWith('packages/core/src/a4c-model/'))).toBe(false);
  });

  it("finds no string literal naming an A4C index, a data version or one of a4c-admin's own indices outside the model", () => {
    const modelNames = new Set([...allA4cIndexNames(), ...KNOWN_DATA_VERSIONS, ...toolOwnIndexNames()]);
    const offenders = packageSources()
      .flatMap((path) => literals(path))
      .filter((literal) => modelNames.has(literal.text))
      .filter((literal) => ALLOWED[`${literal.where.replace(/:\d+$/, '')}:${literal.text}`] === undefined)
      .map((literal) => `${literal.where} '${literal.text}'`);
    expect(offenders, 'use the A4C model (packages/core/src/a4c-model) instead of spelling these').toEqual([]);
  });

  it('keeps no allow-list entry that is not needed any more', () => {
    const present = new Set(packageSources().flatMap((path) => literals(path).map((literal) => `${literal.where.replace(/:\d+$/, '')}:${literal.text}`)));
    expect(Object.keys(ALLOWED).filter((entry) => !present.has(entry))).toEqual([]);
  });
});
