// The results of one compatibility run (what each operation did on each Elasticsearch) and
// their rendering as docs/compatibility.md. Pure: the run itself is compatibility-matrix.int.test.ts.

/** works: done and checked; refused: the tool said no with an error code; failed: anything else (crash, wrong data, no answer). */
export type Outcome = 'works' | 'refused' | 'failed' | 'not run';

export interface OperationResult {
  /** Short name: doctor, backup, verify, list, export, verify export, restore, migrate in place, rollback, migrate. */
  operation: string;
  /** The a4c-admin arguments after `-c <config>`. */
  command: string;
  outcome: Outcome;
  exitCode?: number | null;
  /** The error code of a refusal or failure (A4cAdminError code), when the tool gave one. */
  code?: string;
  message?: string;
  hint?: string;
  /** What was checked beyond the exit status, or what went wrong in the check. */
  detail?: string;
  durationMs?: number;
}

export interface VersionResult {
  version: string;
  /** Maven Central coordinates of the zip the launcher ran. */
  distribution: string;
  layout: string;
  /** Where the loaded layout differs from what A4C 1.1.0 wrote (ES 1.x) or the ES 8 proposal. */
  layoutNotes: string[];
  /** Sample indices and documents loaded; error when the node or the load failed before any operation. */
  loaded?: { indices: number; documents: number };
  setupError?: string;
  operations: OperationResult[];
}

export interface MigrationResult {
  source: string;
  target: string;
  command: string;
  result: OperationResult;
  /** Target indices and their document counts after the run. */
  targetIndices?: Record<string, number>;
  sourceUnchanged?: boolean;
  /** Per 1.1.0 type (ES 1.x index/type): documents in the source, and what the migration reported reading, writing, setting aside. */
  counts?: { types: { name: string; source: number; read: number; written: number; quarantined: number }[] };
  error?: string;
}

export interface CompatibilityResults {
  /** ISO time of the run. */
  date: string;
  /** a4c-admin's `--version`. */
  toolVersion: string;
  /** Git commit of the tree that ran. */
  commit: string;
  rerun: string;
  versions: VersionResult[];
  migration?: MigrationResult;
}

const OPERATIONS = ['doctor', 'backup', 'verify', 'list', 'export', 'verify export', 'restore', 'migrate in place', 'rollback'];

function cell(result: OperationResult | undefined): string {
  if (!result) return 'not run';
  if (result.outcome === 'works') return 'works';
  return `**${result.outcome}**${result.code ? ` \`${result.code}\`` : ''}`;
}

/** Table cells and paragraphs must stay on one line, without pipes that would split a table. */
function inline(text: string | undefined, max = 600): string {
  const flat = (text ?? '').replaceAll('\n', ' ').replaceAll('|', '\\|').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function problemLines(results: VersionResult): string[] {
  const lines: string[] = [];
  if (results.setupError) lines.push(`- set-up failed before any operation: ${inline(results.setupError)}`);
  for (const result of results.operations.filter((operation) => operation.outcome !== 'works')) {
    const said = [result.code && `\`${result.code}\``, inline(result.message), result.hint && `(hint: ${inline(result.hint, 300)})`].filter(Boolean).join(' ');
    lines.push(
      `- **${result.operation}** (\`a4c-admin ${result.command}\`): ${result.outcome}, exit ${result.exitCode ?? '-'}${said ? `: ${said}` : ''}${result.detail ? `. ${inline(result.detail)}` : ''}`,
    );
  }
  return lines;
}

export function renderCompatibility(results: CompatibilityResults): string {
  const out: string[] = [];
  out.push('# Compatibility with Elasticsearch 1.7 to 7.17');
  out.push('');
  out.push(
    `Generated from a real run on ${results.date.slice(0, 10)} (${results.date}), a4c-admin ${results.toolVersion}, commit \`${results.commit}\`. ` +
      'Each Elasticsearch ran as a single real node started by `tools/elasticsearch` (one at a time), loaded with the sample A4C 1.1.0 ' +
      'installation (with 20 multiplied copies of its applications) in the layout that version would hold, then the built binary (`packages/cli/dist/bin.js --json`) ran each operation. ' +
      'Do not edit by hand: re-run the matrix.',
  );
  out.push('');
  out.push('**works**: done, exit 0, and checked (the restore: every document back, equal by index, type, id and SHA-256 of its source). ');
  out.push(
    '**refused**: the tool declined with an error code of a usage, config, precondition, verification or lock error (details below). **failed**: any other end (an Elasticsearch request that failed, a partial or internal error, no JSON answer, documents not equal).',
  );
  out.push('');
  out.push(`| Elasticsearch | distribution (Maven Central zip) | layout | ${OPERATIONS.join(' | ')} |`);
  out.push(`| --- | --- | --- | ${OPERATIONS.map(() => '---').join(' | ')} |`);
  for (const version of results.versions) {
    const byName = new Map(version.operations.map((operation) => [operation.operation, operation]));
    const layout = version.layout === 'es1' ? 'multi-type (A4C 1.x: index + type)' : 'one index per type';
    const cells =
      version.setupError && version.operations.length === 0
        ? OPERATIONS.map(() => '**not run** (set-up failed)')
        : OPERATIONS.map((name) => cell(byName.get(name)));
    out.push(`| ${version.version} | \`${version.distribution}\` | ${layout} | ${cells.join(' | ')} |`);
  }
  out.push('');
  if (results.migration) {
    const migration = results.migration;
    out.push(`## A4C 1.1.0 from Elasticsearch ${migration.source} into ${migration.target}`);
    out.push('');
    out.push(
      `\`a4c-admin ${migration.command}\`: **${migration.result.outcome}**${migration.result.code ? ` \`${migration.result.code}\`` : ''}, exit ${migration.result.exitCode ?? '-'}.`,
    );
    out.push('');
    if (migration.result.outcome !== 'works') {
      if (migration.result.message)
        out.push(`- said: ${inline(migration.result.message)}${migration.result.hint ? ` (hint: ${inline(migration.result.hint, 300)})` : ''}`);
      if (migration.result.detail) out.push(`- ${inline(migration.result.detail, 1200)}`);
    } else if (migration.result.detail) out.push(`- ${inline(migration.result.detail, 1200)}`);
    if (migration.error) out.push(`- ${inline(migration.error)}`);
    if (migration.sourceUnchanged !== undefined) {
      out.push(`- the ${migration.source} source after the run: ${migration.sourceUnchanged ? 'unchanged (every document equal by SHA-256)' : '**changed**'}`);
    }
    const counted = migration.counts?.types.filter((type) => type.source + type.read + type.written + type.quarantined > 0) ?? [];
    if (counted.length > 0) {
      out.push('');
      out.push('| ES 1.x index/type | documents in the source | read | written | quarantined |');
      out.push('| --- | --- | --- | --- | --- |');
      for (const type of counted) out.push(`| ${type.name} | ${type.source} | ${type.read} | ${type.written} | ${type.quarantined} |`);
      out.push('');
    }
    if (migration.targetIndices) {
      const entries = Object.entries(migration.targetIndices);
      const documents = entries.reduce((sum, [, count]) => sum + count, 0);
      out.push(`- the ${migration.target} target after the run: ${entries.length} indices, ${documents} documents`);
    }
    out.push('');
  }
  out.push('## Per version: refusals, failures and layout notes');
  out.push('');
  for (const version of results.versions) {
    out.push(`### Elasticsearch ${version.version}`);
    out.push('');
    if (version.loaded) out.push(`Loaded ${version.loaded.documents} documents in ${version.loaded.indices} indices.`);
    for (const note of version.layoutNotes) out.push(`- layout: ${note}`);
    const problems = problemLines(version);
    if (problems.length === 0) out.push('- every operation works.');
    out.push(...problems);
    out.push('');
  }
  out.push('## Re-run');
  out.push('');
  out.push(
    'Opt-in (about 10 minutes; the zips are downloaded once into `~/.m2`). It needs a built tree (`pnpm run build`) and an 8.19 node for the migration target:',
  );
  out.push('');
  out.push('```sh');
  out.push(results.rerun);
  out.push('```');
  out.push('');
  out.push('The raw results (every command, exit status, error code, message and hint) are written to `/var/tmp/a4c-compat/results.json`.');
  out.push('');
  return out.join('\n');
}
