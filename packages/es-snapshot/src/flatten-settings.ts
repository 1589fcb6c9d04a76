// Index settings as Elasticsearch answers them nested, read by their dotted names. The
// `flat_settings` parameter would do it server-side, but 5.x refuses it on a settings read by name.

/** `{ index: { blocks: { write: 'true' } } }` as `{ 'index.blocks.write': 'true' }`; keys already flat stay as they are. */
export function flattenSettings(settings: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      Object.assign(flat, flattenSettings(value as Record<string, unknown>, `${prefix}${key}.`));
    else flat[`${prefix}${key}`] = value;
  }
  return flat;
}
