// The JSON Schema of admin-tool-config.yml, generated from the zod schema, so that
// editors complete and check the file. config.schema.json is this, written by `pnpm run schema`.
import { z } from 'zod';
import { configSchema } from './config-schema.js';

type JsonObject = Record<string, unknown>;

/**
 * The JSON Schema (draft 2020-12) of the config file as written by an operator: defaults
 * are optional, the seed's dotted top-level keys (`backup.files_dir`) and its
 * comma-separated `elasticsearch.addresses` string are allowed.
 */
export function configJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  schema.title = 'a4c-admin configuration (admin-tool-config.yml)';
  const properties = schema.properties as Record<string, JsonObject>;

  // Both clusters' addresses may be the seed's comma-separated string.
  for (const section of ['elasticsearch', 'target']) {
    const elasticsearch = properties[section]?.properties as Record<string, JsonObject> | undefined;
    const addresses = elasticsearch?.addresses;
    if (elasticsearch && addresses) {
      const { description, default: fallback, ...list } = addresses;
      elasticsearch.addresses = {
        description,
        ...(fallback === undefined ? {} : { default: fallback }),
        anyOf: [list, { type: 'string', description: 'Comma-separated `host:port` or URLs, as in the seed.' }],
      };
    }
  }
  // The seed writes `exporter.dir: ...` at the top level: offer every first-level child that way too.
  const dottedAlternatives: JsonObject[] = [];
  const required = (schema.required as string[] | undefined) ?? [];
  for (const [name, child] of Object.entries({ ...properties })) {
    const nested = child.properties as Record<string, JsonObject> | undefined;
    if (nested === undefined) continue;
    for (const [key, value] of Object.entries(nested)) properties[`${name}.${key}`] = value;
    if (required.includes(name)) {
      // Either spelling satisfies a required section: `backup: {files_dir}` or `backup.files_dir`.
      const nestedRequired = (child.required as string[] | undefined) ?? [];
      dottedAlternatives.push({ anyOf: [{ required: [name] }, { required: nestedRequired.map((key) => `${name}.${key}`) }] });
    }
  }
  const remaining = required.filter((name) => !dottedAlternatives.some((alternative) => JSON.stringify(alternative).includes(`"${name}"`)));
  if (remaining.length > 0) schema.required = remaining;
  else delete schema.required;
  if (dottedAlternatives.length > 0) schema.allOf = dottedAlternatives;
  return schema;
}
