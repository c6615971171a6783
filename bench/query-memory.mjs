// Peak memory of `query --format jsonl` over a large SQLite store, with its output thrown away.
//
//   node bench/query-memory.mjs PATH [runs]
//
// PATH is a store such as the one `node bench/report-sqlite.mjs fixture PATH 1000000` builds.
// Each run spawns the built CLI with a preloaded hook that prints process.resourceUsage().maxRSS
// (kilobytes, the kernel's high-water mark for the process) when it exits. Needs a built dist/.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BINARY = fileURLToPath(new URL('../bin/anthrotrace.js', import.meta.url));
const HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss-kb='+process.resourceUsage().maxRSS+'\\n'))`;

function runOnce(path) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', HOOK, BINARY, '--store', path, 'query', '--format', 'jsonl', '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines++;
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const match = /maxrss-kb=(\d+)/.exec(stderr);
      if (status !== 0 || !match) return reject(new Error(`query exited with ${status}: ${stderr}`));
      resolve({ maxRssMb: Number(match[1]) / 1024, lines, seconds: (performance.now() - started) / 1000 });
    });
  });
}

const [path, runsText = '3'] = process.argv.slice(2);
if (!path) {
  console.error('usage: node bench/query-memory.mjs PATH [runs]');
  process.exit(2);
}
const results = [];
for (let run = 0; run < Number(runsText); run++) {
  const result = await runOnce(path);
  results.push(result);
  console.log(`run ${run + 1}: ${result.lines} records, max RSS ${result.maxRssMb.toFixed(1)} MB, ${result.seconds.toFixed(1)} s`);
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`median max RSS ${median(results.map((r) => r.maxRssMb)).toFixed(1)} MB, median time ${median(results.map((r) => r.seconds)).toFixed(1)} s`);
