// Types of the S3 test server's launcher (tools/s3, plain JavaScript with JSDoc) for the tests that start one.
declare module '@a4c-admin/s3-launcher' {
  export interface S3ServerState {
    name: string;
    pid: number;
    port: number;
    endpoint: string;
    accessKeyId: string;
    secretAccessKey: string;
    dataDir: string;
    logFile: string;
  }
  export function startS3Server(options: {
    name: string;
    port: number;
    buckets?: string[];
    fresh?: boolean;
    log?: (line: string) => void;
  }): Promise<S3ServerState>;
  export function stopS3Server(name: string, options?: { kill?: boolean; graceMs?: number; removeData?: boolean; log?: (line: string) => void }): Promise<void>;
  export function restartS3Server(name: string, options?: { log?: (line: string) => void }): Promise<S3ServerState>;
  export function bucketObjects(
    state: S3ServerState,
    bucket: string,
  ): {
    read(key: string): Promise<Buffer>;
    write(key: string, body: Buffer): Promise<void>;
    remove(key: string): Promise<void>;
    keys(): Promise<string[]>;
    /** Keys of the multipart uploads begun and neither completed nor aborted. */
    uploadsInProgress(): Promise<string[]>;
    close(): void;
  };
  export interface TrafficCounts {
    requests: number;
    bodyBytes: number;
    bodyBytesByMethod: Record<string, number>;
    bodies: Array<{ method: string; path: string; bytes: number }>;
  }
  export function startCountingProxy(target: string): Promise<{ endpoint: string; counts(): TrafficCounts; reset(): void; close(): Promise<void> }>;
}
