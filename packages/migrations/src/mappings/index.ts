// The ES 8 index definitions of each A4C data version, bundled into dist (the design folder is not shipped).
// Keyed by the data versions of core's A4C model; each file's keys are the model's index names of its version.
import { DATA_VERSION_1_1_0, DATA_VERSION_1_2_0, type DataVersion, type IndexDefinition } from '@a4c-admin/core';
import mappings110 from './mappings-1.1.0.json' with { type: 'json' };
import mappings120 from './mappings-1.2.0.json' with { type: 'json' };

const MAPPINGS_BY_VERSION: Readonly<Record<DataVersion, Readonly<Record<string, IndexDefinition>>>> = {
  [DATA_VERSION_1_1_0]: mappings110 as Record<string, IndexDefinition>,
  [DATA_VERSION_1_2_0]: mappings120 as Record<string, IndexDefinition>,
};

/** The index definitions of an A4C version by A4C name, or undefined for a version we have none for. */
export function mappingsForVersion(version: string): Readonly<Record<string, IndexDefinition>> | undefined {
  return (MAPPINGS_BY_VERSION as Readonly<Record<string, Readonly<Record<string, IndexDefinition>>>>)[version];
}

/** The versions whose mappings ship with this package. */
export function knownDataVersions(): string[] {
  return Object.keys(MAPPINGS_BY_VERSION);
}
