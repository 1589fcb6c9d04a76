// R7: 1.2.0 removed TopologyTemplate.topologyId (never set) and would fail on the unknown key.
import type { TransformContext } from '../step.js';

export const R7_TOPOLOGY_TEMPLATE_ID = 'R7-topology-template-id';

export function removeTopologyTemplateId(document: Record<string, unknown>, context: TransformContext): void {
  if ('topologyId' in document) {
    delete document.topologyId;
    context.count(R7_TOPOLOGY_TEMPLATE_ID);
  }
}
