#!/usr/bin/env node
// @ts-check
// Shell entry of the S3 test server: `node tools/s3/cli.mjs build|start|stop|status [--name N] [--port P] [--bucket B]... [--fresh]`.
import { parseArgs } from 'node:util';
import { ensureSeaweedfs } from './build.mjs';
import { s3ServerStatus, startS3Server, stopS3Server } from './server.mjs';

const usage = `Usage: s3 <build|start|stop|status> [--name NAME] [--port S3_PORT] [--bucket B]... [--fresh] [--kill] [--remove-data]
  build    build SeaweedFS once into ~/.cache/a4c-admin/seaweedfs (about 10 min the first time)
  start    start \`weed mini\` on loopback (S3 on PORT, its other ports PORT+1..PORT+9); reuses a running one
  stop     SIGTERM, SIGKILL after 30 s (--kill: at once); --remove-data deletes its data
  status   print the server's state (endpoint, pid) as JSON
Defaults: name "dev", port 8333. The credentials are generated per start and printed by start and status
only with --show-credentials (they are in the server's state file, mode 0600).`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string', default: 'dev' },
    port: { type: 'string', default: '8333' },
    bucket: { type: 'string', multiple: true, default: [] },
    fresh: { type: 'boolean', default: false },
    kill: { type: 'boolean', default: false },
    'remove-data': { type: 'boolean', default: false },
    'show-credentials': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const [command] = positionals;
const log = (/** @type {string} */ line) => console.error(`[s3] ${line}`);
/** @param {import('./server.mjs').S3ServerState} state */
const shown = (state) =>
  values['show-credentials'] ? state : { ...state, accessKeyId: undefined, secretAccessKey: undefined, credentials: 'hidden (--show-credentials)' };

try {
  if (values.help || !command) {
    console.log(usage);
    process.exit(command || values.help ? 0 : 2);
  } else if (command === 'build') {
    console.log(JSON.stringify(await ensureSeaweedfs({ log })));
  } else if (command === 'start') {
    const state = await startS3Server({ name: values.name, port: Number(values.port), buckets: values.bucket, fresh: values.fresh, log });
    console.log(JSON.stringify(shown(state)));
  } else if (command === 'stop') {
    await stopS3Server(values.name, { kill: values.kill, removeData: values['remove-data'], log });
    console.log(JSON.stringify({ name: values.name, stopped: true }));
  } else if (command === 'status') {
    const state = await s3ServerStatus(values.name);
    console.log(JSON.stringify(state ? shown(state) : { name: values.name, running: false }));
    process.exit(state ? 0 : 1);
  } else {
    console.error(usage);
    process.exit(2);
  }
} catch (error) {
  console.error(`[s3] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
