// P1 (plugin-owned, beyond SPEC.md's A4C rules): the cloudify 3 orchestrator plugin 1.2.0
// needs three polling delays in its configuration. The seed's procedure has the operator
// type them in after migrating; we set them where absent and count them.
import type { StoredDocument } from '@a4c-admin/core';
import type { StepFacts, TransformContext } from '../step.js';
import { isJsonObject } from './transform-rule-error.js';

export const P1_CLOUDIFY3_ORCHESTRATOR_SETTINGS = 'P1-cloudify3-orchestrator-settings';

/** Plugin id prefix of the cloudify 3 orchestrator plugin (`alien-cloudify-3-orchestrator:1.1.0`). */
export const CLOUDIFY3_PLUGIN_ID = 'alien-cloudify-3-orchestrator';

/** The values the seed documents (cfy3 provider 1.2.0 defaults). */
export const CLOUDIFY3_DEFAULT_SETTINGS: Readonly<Record<string, number>> = {
  delayBetweenDeploymentStatusPolling: 30,
  delayBetweenInProgressDeploymentStatusPolling: 5,
  delayBetweenLogPolling: 2,
};

/** The fact key: ids of the orchestrators running the cloudify 3 plugin (= their configuration's id). */
export const CLOUDIFY3_ORCHESTRATOR_IDS = 'cloudify3OrchestratorIds';

/** Whether an orchestrator document uses the cloudify 3 plugin. */
export function isCloudify3Orchestrator(source: Record<string, unknown>): boolean {
  const pluginId = source.pluginId;
  return typeof pluginId === 'string' && (pluginId === CLOUDIFY3_PLUGIN_ID || pluginId.startsWith(`${CLOUDIFY3_PLUGIN_ID}:`));
}

export function cloudify3OrchestratorIds(facts: StepFacts): readonly string[] {
  const ids = facts[CLOUDIFY3_ORCHESTRATOR_IDS];
  return Array.isArray(ids) ? (ids as string[]) : [];
}

/**
 * Adds the missing settings to the configuration of a cloudify 3 orchestrator. An
 * orchestrator configuration's id is its orchestrator's id, which is how the plugin is known.
 */
export function addCloudify3Settings(document: StoredDocument, context: TransformContext): void {
  if (!cloudify3OrchestratorIds(context.facts).includes(document.id)) return;
  const configuration = document.source.configuration;
  if (!isJsonObject(configuration)) return;
  let added = 0;
  for (const [key, value] of Object.entries(CLOUDIFY3_DEFAULT_SETTINGS)) {
    if (configuration[key] === undefined || configuration[key] === null) {
      configuration[key] = value;
      added += 1;
    }
  }
  if (added > 0) context.count(P1_CLOUDIFY3_ORCHESTRATOR_SETTINGS, added);
}
