// What a restore under a running A4C (`--hot`) must not touch: the seed warns that a hot
// restore is only safe when none of these is restored.

/** Indices whose restore changes how A4C talks to clouds or loads plugins (A4C names, without prefix). */
export const HOT_RESTORE_UNSAFE_INDICES = [
  'orchestrator',
  'orchestratorconfiguration',
  'location',
  'locationresourcetemplate',
  'plugin',
  'pluginconfiguration',
];

/** Data-folder parts that hold plugin code, unsafe to swap under a running A4C. */
export const HOT_RESTORE_UNSAFE_PARTS = ['plugins', 'work/plugins', 'work'];
