// The version of the tool, written into every manifest. Kept equal to package.json's
// version by a unit test (a constant avoids reading package.json at run time).

/** Version of @a4c-admin/core, recorded in manifests. */
export const TOOL_VERSION = '0.1.0';
/** Name recorded in manifests. */
export const TOOL_NAME = 'a4c-admin';
