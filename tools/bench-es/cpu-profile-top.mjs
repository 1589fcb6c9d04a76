// Summarises the .cpuprofile files of a folder (node --cpu-prof): the top frames by self time,
// and the share of time spent in garbage collection, idle and in the program.
// Usage: node cpu-profile-top.mjs <folder> [top=15]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [folder, top = '15'] = process.argv.slice(2);
for (const file of readdirSync(folder).filter((name) => name.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(folder, file), 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map();
  const deltas = profile.timeDeltas;
  let total = 0;
  profile.samples.forEach((id, position) => {
    const node = byId.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();
    const delta = deltas[position] ?? 0;
    selfTime.set(key, (selfTime.get(key) ?? 0) + delta);
    total += delta;
  });
  const rows = [...selfTime.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
  for (const [key, time] of rows) console.log(`  ${((100 * time) / total).toFixed(1).padStart(5)} %  ${(time / 1e6).toFixed(2).padStart(6)} s  ${key}`);
}
