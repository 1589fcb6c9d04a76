// What the Elasticsearch benchmarks share (bench-es, bench-migrate): command-line options, a
// command timed under /usr/bin/time, and the raw scroll and _bulk ceilings in curl.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

/** The value after `--name` on the command line, or `fallback`. */
export function argument(name, fallback) {
  const position = process.argv.indexOf(`--${name}`);
  return position > 0 ? process.argv[position + 1] : fallback;
}

/**
 * Runs a command under /usr/bin/time; returns seconds, peak RSS (KB) of the whole run and the
 * load when it began (a busy machine explains a slow row). With A4C_BENCH_LOCK=<file>, each timed
 * command runs under `flock <file>` (a long benchmark holds the machine's benchmark lock only
 * while it measures, not while it loads): the time and the load are then taken once the lock is held.
 */
export function timed(command, args, options = {}) {
  const lock = process.env.A4C_BENCH_LOCK;
  if (lock) return timedUnderLock(lock, command, args, options);
  const load = loadavg()[0];
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) failed(command, args, result);
  return { seconds, maxRssKb: Number(result.stderr.trim().split('\n').at(-1)), stdout: result.stdout, load };
}

function timedUnderLock(lock, command, args, options) {
  // The load average first, then the command under /usr/bin/time: both once the lock is held.
  const script = 'head -c 5 /proc/loadavg >&2; echo >&2; exec /usr/bin/time -f "%e %M" "$@"';
  const result = spawnSync('flock', [lock, 'sh', '-c', script, 'sh', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  if (result.status !== 0) failed(command, args, result);
  const lines = result.stderr.trim().split('\n');
  const [seconds, maxRssKb] = lines.at(-1).split(' ').map(Number);
  return { seconds, maxRssKb, stdout: result.stdout, load: Number(lines[0]) };
}

function failed(command, args, result) {
  // The CLI's NDJSON progress events would bury its error: keep the other lines.
  const said = result.stderr
    .split('\n')
    .filter((line) => !line.startsWith('{"type":"progress"'))
    .join('\n');
  throw new Error(`${command} ${args.join(' ')} failed (status ${result.status}): ${said.slice(-3000)}\n${result.stdout.slice(-3000)}`);
}

/**
 * The bash function `scroll_pages <index> <first search body> <page file>` of the raw scroll
 * ceilings: one curl a page, the page into /dev/shm, and the scroll id and the end test taken
 * from the page's first 4 KB with bash builtins (no jq, no process but curl a page).
 * filter_path puts _scroll_id first. Prints the number of pages that held hits.
 */
const scrollPagesFunction = (url) => `
  scroll_pages() {
    local fp='filter_path=_scroll_id,hits.hits._id,hits.hits._source' page=$3 pages=0 head id
    curl -sf -H 'content-type: application/json' "${url}/$1/_search?scroll=2m&size=5000&$fp" -d "$2" -o $page
    while true; do
      head=''
      IFS= read -r -N 4096 head < $page || true
      [[ $head == *'"hits":{"hits":[{'* ]] || break
      pages=$((pages + 1))
      id=\${head#*'"_scroll_id":"'}
      id=\${id%%'"'*}
      curl -sf -H 'content-type: application/json' "${url}/_search/scroll?$fp" -d "{\\"scroll\\":\\"2m\\",\\"scroll_id\\":\\"$id\\"}" -o $page
    done
    curl -s -XDELETE -H 'content-type: application/json' "${url}/_search/scroll" -d "{\\"scroll_id\\":\\"$id\\"}" > /dev/null
    rm -f $page
    echo $pages
  }`;

/** The raw scroll ceiling, as a bash script (scrollPagesFunction): each index in turn; prints the pages that held hits. */
export const rawScrollScript = (url, indices) => `
  set -e
  ${scrollPagesFunction(url)}
  pages=0
  for index in ${indices.join(' ')}; do
    counted=$(scroll_pages $index '{"sort":["_doc"]}' /dev/shm/a4c-bench-scroll-page-$$.json)
    pages=$((pages + counted))
  done
  echo $pages`;

/**
 * The raw scan ceiling of Elasticsearch 1.x, as a bash script: the same loop as rawScrollScript
 * with 1.x's protocol (`search_type=scan`: `size` hits per shard a page, a first answer without
 * hits; the scroll id sent as the raw body). `paths` are `<index>/<type>`; prints the pages that
 * held hits. A finished scan frees its scroll itself (its clear answers 404), so none is cleared.
 */
export const rawScanScript = (url, paths, sizePerShard) => `
  set -e
  page=/dev/shm/a4c-bench-scan-page-$$.json
  fp='filter_path=_scroll_id,hits.hits._id,hits.hits._source'
  pages=0
  for path in ${paths.join(' ')}; do
    curl -sf "${url}/$path/_search?search_type=scan&scroll=2m&size=${sizePerShard}&$fp" -d '{"query":{"match_all":{}}}' -o $page
    while true; do
      head=''
      IFS= read -r -N 4096 head < $page || true
      id=\${head#*'"_scroll_id":"'}
      id=\${id%%'"'*}
      curl -sf "${url}/_search/scroll?scroll=2m&$fp" -d "$id" -o $page
      IFS= read -r -N 4096 head < $page || true
      [[ $head == *'"hits":{"hits":[{'* ]] || break
      pages=$((pages + 1))
    done
  done
  rm -f $page
  echo $pages`;

/**
 * Cuts bulk NDJSON into bodies of about 8 MB in `folder` (the raw _bulk ceiling's input, made
 * before the clock starts); `finish()` writes the last, partial body.
 */
export function bulkBodyWriter(folder) {
  let body = [];
  let size = 0;
  let part = 0;
  const flush = () => {
    if (body.length) writeFileSync(join(folder, `${String(part++).padStart(5, '0')}.ndjson`), `${body.join('\n')}\n`);
    body = [];
    size = 0;
  };
  return {
    add(action, source) {
      body.push(action, source);
      size += action.length + source.length + 2;
      if (size >= 8 * 1024 * 1024) flush();
    },
    finish: flush,
  };
}

/**
 * The raw ceiling of sliced reads: `slices` sliced scroll loops of one index at once (the loop
 * of rawScrollScript, each with its `slice` in the first search); prints the pages read.
 */
export const rawSlicedScrollScript = (url, index, slices) => `
  set -e
  ${scrollPagesFunction(url)}
  for id in $(seq 0 $((${slices} - 1))); do
    scroll_pages ${index} '{"sort":["_doc"],"slice":{"id":'$id',"max":${slices}}}' /dev/shm/a4c-bench-slice-$$-$id.json > /dev/shm/a4c-bench-slice-$$-$id.pages &
  done
  wait
  total=0
  for file in /dev/shm/a4c-bench-slice-$$-*.pages; do total=$((total + $(cat $file))); done
  rm -f /dev/shm/a4c-bench-slice-$$-*.pages
  echo $total`;

/**
 * The creation of indices as a plain script makes them: one curl PUT after another, each
 * `<folder>/<index>.json` (mappings and settings) under its file name, waiting for its primary.
 */
export const rawCreateScript = (url, folder) =>
  `for file in ${folder}/*.json; do name=$(basename "$file" .json); curl -sf -o /dev/null -XPUT -H 'content-type: application/json' --data-binary @"$file" "${url}/$name" || exit 1; done`;

/** The raw _bulk ceiling, in curl: the bodies of `folder` 3 in flight, then a refresh of `indices` (as our import does). */
export const rawBulkCommand = (url, folder, indices) =>
  `ls ${folder}/*.ndjson | xargs -P 3 -I{} curl -sf -o /dev/null -H 'content-type: application/x-ndjson' --data-binary @{} '${url}/_bulk' && curl -s -o /dev/null -XPOST '${url}/${indices.join(',')}/_refresh'`;

/**
 * Prints the best round of each run as the markdown table docs/benchmarks.md shows, and returns
 * those rows by name. `what` names the documents ("three big indices").
 * @param {Array<{name: string, seconds: number, docsPerSecond: number, maxRssMb: number, load: number}>} rows
 * @param {{total: number, sourceBytes: number, rounds: number, what: string}} about
 */
export function printBestRounds(rows, about) {
  /** @type {Record<string, (typeof rows)[number]>} */
  const best = {};
  for (const row of rows) if (!best[row.name] || row.seconds < best[row.name].seconds) best[row.name] = row;
  console.log(
    `\n${about.total} documents in the ${about.what} (${(about.sourceBytes / 1e6).toFixed(1)} MB of _source, ${(about.sourceBytes / about.total).toFixed(0)} B each), ${about.rounds} round(s), best shown`,
  );
  console.log(`uptime at end: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}\n`);
  console.log('| run | seconds | docs/s | MB/s (`_source`) | peak RSS MB | load (1 min) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of Object.values(best))
    console.log(
      `| ${row.name} | ${row.seconds.toFixed(1)} | ${Math.round(row.docsPerSecond)} | ${(about.sourceBytes / row.seconds / 1e6).toFixed(1)} | ${Math.round(row.maxRssMb)} | ${row.load.toFixed(1)} |`,
    );
  return best;
}

/**
 * Collects the timed runs of a benchmark: `record(name, run, round)` keeps a row (docs/s over
 * `documents()`, the run's peak RSS and load) and prints it; `rows` are what printBestRounds takes.
 * @param {() => number} documents
 */
export function roundRecorder(documents) {
  /** @type {Array<{name: string, round: number, seconds: number, docsPerSecond: number, maxRssMb: number, load: number}>} */
  const rows = [];
  /** @param {string} name @param {{seconds: number, maxRssKb: number, load: number}} run @param {number} round */
  const record = (name, run, round) => {
    const row = { name, round, seconds: run.seconds, docsPerSecond: documents() / run.seconds, maxRssMb: run.maxRssKb / 1024, load: run.load };
    rows.push(row);
    console.log(
      `  ${name}: ${row.seconds.toFixed(1)} s, ${Math.round(row.docsPerSecond)} docs/s, ${Math.round(row.maxRssMb)} MB RSS (load ${row.load.toFixed(1)})`,
    );
    return row;
  };
  return { rows, record };
}

/**
 * Deletes indices by name (8.x refuses wildcards), a few dozen a request: Elasticsearch refuses a
 * request line over 4 KB (`http.max_initial_line_length`), so one request naming them all could
 * fail and leave a benchmark's indices behind. Best effort, as a clean-up is.
 */
export async function deleteIndices(client, names) {
  for (let start = 0; start < names.length; start += 40) {
    await client.indices.delete({ index: names.slice(start, start + 40).join(','), ignore_unavailable: true }).catch(() => undefined);
  }
}
