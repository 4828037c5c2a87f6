// npm run bench: runs every bench/*.bench.ts (each prints one Markdown section on stdout) and writes
// them, in file-name order, into docs/benchmarks.md between the generated markers.
// Lab benchmarks need root: the lab is brought up by each bench itself through tests/lab.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const only = process.argv[2];
const files = readdirSync('bench').filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
const sections = [];
for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', `bench/${f}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 });
  sections.push(out.trim());
  process.stdout.write(`${out}\n`);
}
const doc = 'docs/benchmarks.md';
const begin = '<!-- bench:begin -->';
const end = '<!-- bench:end -->';
const text = existsSync(doc) ? readFileSync(doc, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
const [head, rest = ''] = text.split(begin);
const tail = rest.includes(end) ? rest.slice(rest.indexOf(end) + end.length) : '\n';
writeFileSync(doc, `${head}${begin}\n_Last run: ${new Date().toISOString()} on ${process.platform}, Node ${process.version}._\n\n${sections.join('\n\n')}\n${end}${tail}`);
