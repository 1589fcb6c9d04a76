// The operations this build runs: each command's options mapped onto one function of the
// wired API (api/api.ts), and its result given a `summary` for people. No logic of its own.
import { A4cAdminError, assertBackupValid, assertDoctorPassed, type BackupResult, isA4cAdminError } from '@a4c-admin/core';
import { checkParts, redactUrlCredentials } from '@a4c-admin/core/internal';
import { assertPluginsValid, type DryRunReport } from '@a4c-admin/migrations';
import {
  backup,
  doctor,
  finalize,
  list,
  migrate,
  migrateDryRun,
  migrateExport,
  pluginsSwap,
  pluginsVerify,
  prune,
  remove,
  restore,
  rollback,
  verify,
} from './api/api.js';
import { listRemote, pruneRemote, push, removeRemote, restoreRemote, verifyRemote } from './api/remote-api.js';
import { formatBytes } from './format-bytes.js';
import type { Operations } from './operations.js';
import { count } from './plural.js';
import { renderTable } from './render-result.js';

export const wiredOperations: Operations = {
  async backup(config, { parts, ...options }, context) {
    const effective = parts ? { ...config, backup: { ...config.backup, parts: checkedPartsOption(parts) } } : config;
    const { manifest: _manifest, ...result } = await backup(effective, { ...options, ...context });
    return { ...result, summary: backupSummary(result) };
  },

  async restore(config, { remote, ...options }, context) {
    const result = remote ? await restoreRemote(config, { ...options, ...context }) : await restore(config, { ...options, ...context });
    const { plan } = result;
    const summary = result.dryRun
      ? [
          `dry run of restore "${plan.name}" (A4C ${plan.version ?? 'unknown'}): nothing was changed`,
          `would replace ${count(plan.indices.length, 'index')}${plan.indices.length > 0 ? ':' : ''}`,
          ...indented(renderTable(plan.indices.map((index) => ({ index: index.name, action: index.action, documents: index.backupDocs })))),
          ...(plan.strays.length > 0
            ? [`would delete ${count(plan.strays.length, 'index')} the backup does not hold (added since, e.g. by a migration):`, ...indented(plan.strays)]
            : []),
          `would swap ${count(plan.parts.length, 'data-folder part')}${plan.parts.length > 0 ? ':' : ''}`,
          ...indented(renderTable(plan.parts.map((part) => ({ part: part.part, files: part.files, bytes: part.bytes })))),
          `would put back ${count(plan.configFiles.length, 'config file')}${plan.configFiles.length > 0 ? `: ${plan.configFiles.join(', ')}` : ''}`,
          ...(plan.a4c
            ? [`A4C: ${plan.a4c.state} (${plan.a4c.detail})${plan.a4c.state === 'unknown' ? ': the restore will ask, or needs --a4c-stopped' : ''}`]
            : []),
        ]
      : [
          `restored "${plan.name}" (A4C ${plan.version ?? 'unknown'}) in ${(result.durationMs / 1000).toFixed(1)}s`,
          `${count(plan.indices.length, 'index')}, ${count(
            Object.values(result.counts).reduce((sum, documents) => sum + documents, 0),
            'document',
          )}; ${count(result.files, 'file')} in ${count(plan.parts.length, 'part')}; ${count(plan.configFiles.length, 'config file')}`,
          ...(plan.strays.length > 0 ? [`deleted ${count(plan.strays.length, 'index')} the backup does not hold: ${plan.strays.join(', ')}`] : []),
          ...(result.unblocked.length > 0
            ? [
                `lifted the blocks the backup held on ${count(result.unblocked.length, 'index')}, so that A4C can write: ${result.unblocked.map((entry) => `${entry.index} (${entry.blocks.join(', ')})`).join(', ')}`,
              ]
            : []),
        ];
    return { ...result, summary };
  },

  async migrate(config, options, context) {
    if (options.fromExport !== undefined) {
      const result = await migrateExport(config, {
        source: options.fromExport,
        destination: options.output ?? '',
        from: options.from,
        to: options.to,
        indexPrefix: options.exportPrefix,
        quarantine: options.quarantine,
        ...context,
      });
      const documents = Object.values(result.indices).reduce((sum, index) => sum + index.written, 0);
      const merged = Object.entries(result.indices).filter(([, index]) => index.merged > 0);
      return {
        ...result,
        summary: [
          `migrated the export ${options.fromExport} (${result.from} -> ${result.to}) into ${options.output}: ${count(documents, 'document')} in ${count(result.files.length, 'file')}; no cluster was touched`,
          ...(merged.length > 0
            ? [
                `merged into one document per id: ${merged.map(([name, index]) => `${name} ${index.merged}`).join(', ')} (e.g. the audit configurations into the 1.2.0 singleton)`,
              ]
            : []),
          ...(result.quarantineFile ? [`documents set aside (quarantine): ${result.quarantineFile}`] : []),
          ...(Object.keys(result.skipped).length > 0
            ? [
                `left out a4c-admin's own indices (no A4C data): ${Object.entries(result.skipped)
                  .map(([index, count]) => `${index} ${count}`)
                  .join(', ')}`,
              ]
            : []),
        ],
      };
    }
    const across = options.target ?? config.target?.addresses.join(', ');
    const into = across === undefined ? '' : ` into ${redactUrlCredentials(across)}`;
    if (options.rollback) {
      const result = await rollback(config, { ...context, a4cStopped: options.a4cStopped });
      return { ...result, summary: `rolled back: the A4C names point at the ${result.to} indices again (the ${result.from} ones are kept)` };
    }
    if (options.finalize) {
      const result = await finalize(config, { ...context, a4cStopped: options.a4cStopped });
      return {
        ...result,
        summary: `finalized ${result.version}: deleted ${count(result.deleted.length, 'pre-migration index')}${result.deletedSnapshot ? ` and the rollback snapshot ${result.deletedSnapshot}` : ''}${result.leftAlone.length > 0 ? `; left alone ${result.leftAlone.join(', ')} (not made by a4c-admin)` : ''}`,
      };
    }
    if (options.dryRun) {
      const report = await migrateDryRun(config, { from: options.from, to: options.to, quarantine: options.quarantine, target: options.target, ...context });
      return { ...report, summary: dryRunSummary(report, `${options.from} -> ${options.to}${into}`, across === undefined ? 'the cluster' : 'either cluster') };
    }
    const result = await migrate(config, {
      from: options.from,
      to: options.to,
      skipBackup: options.skipBackup,
      quarantine: options.quarantine,
      a4cStopped: options.a4cStopped,
      target: options.target,
      ...context,
    });
    if (result.status === 'up-to-date') return { ...result, summary: `already at ${result.to}: nothing to do` };
    const documents = result.steps.flatMap((step) => Object.values(step.indices)).reduce((sum, index) => sum + index.written, 0);
    const rules = result.steps.map((step) =>
      Object.entries(step.rules)
        .map(([rule, count]) => `${rule}: ${count}`)
        .join(', '),
    );
    return {
      ...result,
      summary: [
        across === undefined
          ? `migrated ${result.from} -> ${result.to}: ${count(documents, 'document')} (pre-migration backup: ${result.backup ?? 'none'})`
          : `migrated ${result.from} -> ${result.to}${into}: ${count(documents, 'document')} (no pre-migration backup: the source cluster was only read and stays a complete rollback)`,
        ...rules.map((line, position) => `step ${result.steps[position]!.to} changes: ${line || 'none'}`),
        ...quarantinedSummary(result.steps.flatMap((step) => Object.entries(step.indices))),
      ],
    };
  },

  async verify(config, { remote, ...options }, context) {
    if (remote) {
      const checked = await verifyRemote(config, { ...options, ...context });
      return {
        ...checked,
        summary: `remote backup "${checked.name}" is whole: ${count(checked.objects, 'object')} (${formatBytes(checked.bytes)}) read back, every SHA-256 matches`,
      };
    }
    const result = await verify(config, { ...options, ...context });
    assertBackupValid(result);
    const { manifest, ...rest } = result;
    return {
      ...rest,
      summary: `backup "${result.name}" is whole: manifest, ${count(manifest.files.length, 'file')}, ${count(manifest.configFiles.length, 'config file')}${manifest.snapshot ? `, snapshot ${manifest.snapshot.name} SUCCESS` : ''}`,
    };
  },

  async list(config, options, context) {
    if (options.remote) {
      const remote = await listRemote(config, context);
      return {
        backups: remote.map((entry) => ({
          name: entry.name,
          state: entry.state,
          version: entry.version,
          format: entry.format,
          started: entry.startedAt,
          pushed: entry.pushedAt,
          documents: entry.documents,
          files: entry.files,
          bytes: entry.bytes,
          key: entry.keyId,
          problem: entry.problem,
        })),
      };
    }
    const backups = await list(config, context);
    return {
      backups: backups.map((entry) => ({
        name: entry.name,
        state: entry.state,
        version: entry.version,
        format: entry.format,
        started: entry.startedAt,
        documents: entry.documents,
        files: entry.files,
        bytes: entry.bytes,
        problem: entry.problem,
      })),
    };
  },

  async push(config, { name }, context) {
    const result = await push(config, { name, ...context });
    return {
      ...result,
      summary: result.alreadyPushed
        ? `backup "${name}" is already in ${result.destination}: nothing sent`
        : `pushed "${name}" to ${result.destination}: ${count(result.files, 'file')} (${formatBytes(result.bytes)}); sent ${count(result.uploadedObjects, 'new object')} (${formatBytes(result.uploadedBytes)}), the rest was already there`,
    };
  },

  async remove(config, { remote, ...options }, context) {
    if (remote) {
      const removed = await removeRemote(config, { ...options, ...context });
      return { ...removed, summary: `deleted remote backup "${options.name}" and ${count(removed.removedObjects, 'object')} no other remote backup names` };
    }
    const result = await remove(config, { ...options, ...context });
    const what = result.folderDeleted
      ? `deleted backup "${result.name}"${result.snapshotDeleted ? ' and its snapshot' : ''}`
      : `deleted the snapshot "${result.name}" left by an interrupted backup`;
    return { ...result, summary: result.snapshotKept ? `${what}; ${result.snapshotKept}` : what };
  },

  async prune(config, { remote, ...options }, context) {
    const result = remote ? await pruneRemote(config, { ...options, ...context }) : await prune(config, { ...options, ...context });
    return {
      ...result,
      summary: [
        `${result.dryRun ? 'would delete' : 'deleted'} ${result.deleted.length}: ${result.deleted.join(', ') || 'none'}`,
        `kept ${result.kept.length}: ${result.kept.map((entry) => `${entry.name} (${entry.reasons.join(', ')})`).join(', ') || 'none'}`,
        ...(result.skipped.length > 0 ? [`left alone (broken): ${result.skipped.join(', ')}`] : []),
      ],
    };
  },

  async doctor(config, _options, context) {
    const result = await doctor(config, context);
    assertDoctorPassed(result);
    return { ...result };
  },

  async pluginsVerify(config) {
    const result = await pluginsVerify(config);
    assertPluginsValid(result);
    const warnings = result.findings.map((finding) => `warning: ${finding.message}`);
    return { ...result, summary: [`${count(result.checked, 'plugin descriptor')} checked: code folders and descriptors agree`, ...warnings] };
  },

  async pluginsSwap(config, options) {
    const result = await pluginsSwap(config, options);
    const summary =
      'dryRun' in result
        ? `dry run: would replace ${result.folder} (plugin ${result.plugin}) with ${result.archive}`
        : `swapped the code of ${result.folder} (${result.descriptor.id} ${result.descriptor.version}, ${count(result.files, 'file')}); old code kept in ${result.previous}`;
    return { ...result, summary };
  },
};

function backupSummary(result: Omit<BackupResult, 'manifest'>): string[] {
  const documents = result.indices.reduce((sum, index) => sum + index.docCount, 0);
  return [
    `backup "${result.name}" of A4C ${result.version} in ${(result.durationMs / 1000).toFixed(1)}s: ${result.folder}`,
    `${count(result.indices.length, 'index')}, ${count(documents, 'document')}${result.snapshot ? ` in snapshot ${result.snapshot.name}` : ' exported as NDJSON'}${result.countsExact ? '' : ' (A4C wrote during the backup: counts approximate)'}`,
    `${count(result.files, 'file')} (${formatBytes(result.bytes)}), ${count(result.configFiles, 'config file')}${result.skippedParts.length > 0 ? `; missing parts skipped: ${result.skippedParts.join(', ')}` : ''}`,
    ...(result.linked.from !== undefined
      ? [
          `${count(result.linked.files, 'file')} (${formatBytes(result.linked.bytes)}) unchanged since backup "${result.linked.from}": hard-linked from it, not copied`,
        ]
      : []),
  ];
}

/** `--parts` is an argument: a bad one is a usage error (exit 2), not a config error. */
function checkedPartsOption(parts: string[]): string[] {
  try {
    return checkParts(parts);
  } catch (error) {
    if (!isA4cAdminError(error)) throw error;
    throw new A4cAdminError('USAGE', `--parts: ${error.message}`, {
      hint: 'Give --parts folders of alien4cloud.dir, relative to it, each once, never upload or elasticsearch: e.g. --parts csar,images.',
      cause: error,
    });
  }
}

/** One line naming the documents a migration set aside, if any. */
function quarantinedSummary(indices: Array<[string, { quarantined: number }]>): string[] {
  const set = indices.filter(([, index]) => index.quarantined > 0);
  if (set.length === 0) return [];
  const total = set.reduce((sum, [, index]) => sum + index.quarantined, 0);
  return [`${count(total, 'document')} set aside (quarantine): ${set.map(([name, index]) => `${name} ${index.quarantined}`).join(', ')}`];
}

/** Lines under a heading line. */
function indented(lines: readonly string[]): string[] {
  return lines.map((line) => `  ${line}`);
}

/** What a migration would do, step by step: documents per rule and per index, then where the full report is. */
function dryRunSummary(report: DryRunReport, what: string, where: string): string[] {
  const steps = report.steps.flatMap((step) => {
    const indices = Object.entries(step.indices);
    const read = indices.reduce((sum, [, index]) => sum + index.read, 0);
    const written = indices.reduce((sum, [, index]) => sum + index.wouldWrite, 0);
    const failed = indices.reduce((sum, [, index]) => sum + index.failed, 0);
    const holding = indices.filter(([, index]) => index.read > 0 || index.wouldWrite > 0 || index.failed > 0);
    const rules = Object.entries(step.rules).sort(([first], [second]) => first.localeCompare(second));
    return [
      `step ${step.from} -> ${step.to}: ${count(read, 'document')} read in ${count(indices.length, 'index')}, ${written} would be written, ${failed} would fail`,
      ...(rules.length > 0
        ? ['  documents changed per rule:', ...indented(indented(renderTable(rules.map(([rule, documents]) => ({ rule, documents })))))]
        : ['  no rule changes a document']),
      `  documents per index (${count(indices.length - holding.length, 'empty index')} not shown):`,
      ...indented(indented(renderTable(holding.map(([index, counts]) => ({ index, read: counts.read, write: counts.wouldWrite, fail: counts.failed }))))),
    ];
  });
  return [
    `dry run ${what}: nothing was changed in ${where}`,
    ...steps,
    ...(report.failed > 0
      ? [`${count(report.failed, 'document')} would fail (a transform rule, or the target mappings reject them): see ${report.files.failures}`]
      : []),
    `full report: ${report.files.report} (before/after samples in ${report.files.samples})`,
  ];
}
