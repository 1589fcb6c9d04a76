// Page parser benchmark: milliseconds per search page of N hits (~1.1 KB documents of
// documents.mjs, the shape of an 8.x point-in-time answer) for
//   shipped      parseRawSearchPage of a git revision (default: main), the byte scanner as it was;
//   new          parseRawSearchPage of the working tree;
//   JSON.parse   of the whole page (what a reader that needs objects could do instead);
// and, for the readers that parse every document (the migration), the scanner followed by
// JSON.parse of each hit's _source against JSON.parse of the whole page.
// Rounds are interleaved (shipped, new, JSON.parse, ... in turn) so that the machine's load hits
// them alike; the best and the median round are printed.
//
// Usage: node tools/bench-migrate/bench-page-parser.mjs [--hits 5000] [--rounds 30] [--baseline main]
// Needs nothing built: the two parsers are transpiled from their TypeScript with `typescript`.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { argument } from '../bench-es/bench-tools.mjs';
import { exitWithUsageOnHelp } from '../usage-on-help.mjs';
import { SHARES } from './documents.mjs';

exitWithUsageOnHelp(import.meta.url);

const hits = Number(argument('hits', '5000'));
const rounds = Number(argument('rounds', '30'));
const baseline = argument('baseline', 'main');
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const parserPath = 'packages/es-snapshot/src/raw-search-page.ts';

/**
 * Imports the parser as `read` gives its TypeScript sources (a git revision, or the working tree),
 * each module it imports from its own folder transpiled beside it into `folder`.
 */
async function loadParser(read, folder) {
  mkdirSync(folder, { recursive: true });
  const pending = [parserPath];
  const done = new Set();
  while (pending.length > 0) {
    const path = pending.pop();
    if (done.has(path)) continue;
    done.add(path);
    const source = read(path);
    for (const [, sibling] of source.matchAll(/from '\.\/([\w-]+)\.js'/g)) pending.push(join(dirname(path), `${sibling}.ts`));
    const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(folder, basename(path).replace(/\.ts$/, '.js')), output);
  }
  writeFileSync(join(folder, 'package.json'), '{"type":"module"}');
  return (await import(pathToFileURL(join(folder, basename(parserPath).replace(/\.ts$/, '.js'))).href)).parseRawSearchPage;
}

function page() {
  const makers = SHARES.map(([, , make]) => make);
  const rendered = [];
  for (let position = 0; position < hits; position++) {
    const document = makers[position % makers.length](position).source;
    rendered.push(
      `{"_index":"topology-v1.1.0","_id":${JSON.stringify(`doc-${position}`)},"_score":null,"_source":${JSON.stringify(document)},"sort":[${position}]}`,
    );
  }
  return Buffer.from(
    `{"pit_id":"46ToAwMDaWR5BXV1aWQy==","took":12,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},` +
      `"hits":{"total":{"value":${hits},"relation":"eq"},"max_score":null,"hits":[${rendered.join(',')}]}}`,
  );
}

function time(run) {
  const started = performance.now();
  run();
  return performance.now() - started;
}

const folder = mkdtempSync(join(tmpdir(), 'a4c-bench-parser-'));
try {
  const shipped = await loadParser((path) => execFileSync('git', ['show', `${baseline}:${path}`], { cwd: root, encoding: 'utf8' }), join(folder, 'shipped'));
  const current = await loadParser((path) => readFileSync(join(root, path), 'utf8'), join(folder, 'new'));
  const bytes = page();
  // Same answer from both, checked before timing anything.
  const expected = JSON.parse(bytes.toString('utf8')).hits.hits;
  for (const parse of [shipped, current]) {
    // Array.from: the shipped parser gives an array of hits, the new one an iterable of ranges.
    const parsed = Array.from(parse(bytes).hits);
    if (
      parsed.length !== expected.length ||
      parsed.some((hit, index) => JSON.stringify(JSON.parse(hit.source.toString())) !== JSON.stringify(expected[index]._source))
    ) {
      throw new Error('a parser disagrees with JSON.parse');
    }
  }
  const runs = {
    'shipped scanner (raw _source slices)': () => shipped(bytes),
    'new scanner (raw _source slices)': () => current(bytes),
    'JSON.parse of the whole page (objects)': () => JSON.parse(bytes.toString('utf8')),
    'shipped scanner + JSON.parse of each _source (objects)': () => Array.from(shipped(bytes).hits, (hit) => JSON.parse(hit.source.toString('utf8'))),
    'new scanner + JSON.parse of each _source (objects)': () => Array.from(current(bytes).hits, (hit) => JSON.parse(hit.source.toString('utf8'))),
  };
  const times = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
  for (let round = 0; round < rounds + 3; round++) {
    for (const [name, run] of Object.entries(runs)) {
      const ms = time(run);
      if (round >= 3) times[name].push(ms); // 3 warm-up rounds
    }
  }
  console.log(`uptime: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  console.log(`page: ${hits} hits, ${(bytes.length / 1e6).toFixed(2)} MB; ${rounds} interleaved rounds after 3 warm-up rounds; shipped = ${baseline}`);
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const reference = median(times['shipped scanner (raw _source slices)']);
  console.log('| run | best ms | median ms | median / shipped scanner |\n|---|---:|---:|---:|');
  for (const [name, values] of Object.entries(times)) {
    console.log(`| ${name} | ${Math.min(...values).toFixed(1)} | ${median(values).toFixed(1)} | ${(median(values) / reference).toFixed(2)} |`);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
