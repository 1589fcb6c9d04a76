// @ts-check
// The S3 test server of a4c-admin: SeaweedFS built once (build.mjs), run on loopback (server.mjs), and a proxy that counts what it is sent (counting-proxy.mjs).
export { ensureSeaweedfs, SEAWEEDFS_VERSION, seaweedfsCacheDir, weedBinaryPath } from './build.mjs';
export { startCountingProxy } from './counting-proxy.mjs';
export { bucketObjects } from './objects.mjs';
export { restartS3Server, s3ClientFor, s3ServerStatus, serversHome, startS3Server, stopS3Server } from './server.mjs';
