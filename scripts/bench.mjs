// npm run bench [-- NAME]: runs every bench/*.bench.ts, or those whose file name contains NAME. Each prints one
// Markdown section on stdout, which goes into docs/benchmarks.md under its own marker, in file-name order, with
// the date of its run; the sections of benches not run this time are kept as they were.
// Lab benchmarks need root: the lab is brought up by each bench itself through tests/lab.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const only = process.argv[2];
const all = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const fresh = new Map();
for (const f of all.filter((name) => !only || name.includes(only))) {
  process.stderr.write(`bench: ${f}\n`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', `bench/${f}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  fresh.set(f, `_Run ${new Date().toISOString()} on ${process.platform}, Node ${process.version}._\n\n${out.trim()}`);
  process.stdout.write(`${out}\n`);
}

const doc = 'docs/benchmarks.md';
const begin = '<!-- bench:begin -->';
const end = '<!-- bench:end -->';
const marker = (file) => `<!-- bench:${file} -->`;
const text = existsSync(doc) ? readFileSync(doc, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
const [head, rest = ''] = text.split(begin);
const generated = rest.includes(end) ? rest.slice(0, rest.indexOf(end)) : '';
const tail = rest.includes(end) ? rest.slice(rest.indexOf(end) + end.length) : '\n';
const sections = new Map();
for (const m of generated.matchAll(/<!-- bench:(\S+\.bench\.ts) -->\n([\s\S]*?)(?=<!-- bench:\S+\.bench\.ts -->|$)/g)) {
  if (all.includes(m[1])) sections.set(m[1], m[2].trim());
}
for (const [f, section] of fresh) sections.set(f, section);
const body = all.filter((f) => sections.has(f)).map((f) => `${marker(f)}\n${sections.get(f)}`);
writeFileSync(doc, `${head}${begin}\n${body.join('\n\n')}\n${end}${tail}`);
