// Types of the launcher (plain .mjs with JSDoc) as the suites use it.
declare module '@a4c-admin/elasticsearch-launcher' {
  export interface NodeSetState {
    name: string;
    version: string;
    clusterName?: string;
    url: string;
    urls: string[];
    repoPath: string;
    security: boolean;
    caFile?: string;
    caFingerprint?: string;
    nodes: Array<{ name: string; httpPort: number; transportPort: number; pid?: number; home: string }>;
  }
  export function startNodeSet(options?: {
    name?: string;
    nodes?: number;
    httpPort?: number;
    transportPort?: number;
    fresh?: boolean;
    /** 8.x by default; legacy single nodes: 1.7.6, 2.4.6, 5.6.16, 6.8.23, 7.17.29. */
    version?: string;
    /** Default `a4c-<name>` on 8.x, `escluster` (A4C's) on legacy versions. */
    clusterName?: string;
    heap?: string;
    /** Extra JVM options (default: A4C_ES_JAVA_OPTS, space-separated). */
    javaOptions?: readonly string[];
    settings?: Record<string, unknown>;
    security?: { password: string; tls?: boolean };
    log?: (line: string) => void;
    timeoutMs?: number;
  }): Promise<NodeSetState & { reused: boolean; downloaded: boolean }>;
  export function stopNodeSet(name: string, options?: { log?: (line: string) => void; keepData?: boolean }): Promise<boolean>;
  /** The legacy versions the launcher starts on request: 1.7.6, 2.4.6, 5.6.16, 6.8.23, 7.17.29. */
  export const LEGACY_VERSIONS: readonly string[];
  /** Which Maven Central artifact holds a version, as the launcher downloads it. */
  export function versionProfile(version: string): {
    version: string;
    major: number;
    legacy: boolean;
    distribution: { groupId: string; artifactId: string; version: string; type: string; classifier?: string };
  };
  export function readState(name: string): Promise<NodeSetState | undefined>;
  export function createCertificates(folder: string): Promise<{ caFile: string; caFingerprint: string; certificateFile: string; keyFile: string }>;
}
