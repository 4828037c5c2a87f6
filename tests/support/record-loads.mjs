// `node --import ./tests/support/record-loads.mjs ...`: appends every file the process loads, by import
// (a resolve hook) or by require (Module.prototype.load), one absolute path a line, to $PWS_RECORD_LOADS.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.PWS_RECORD_LOADS;
const load = Module.prototype.load;
Module.prototype.load = function (filename) {
  appendFileSync(out, `${filename}\n`);
  return load.call(this, filename);
};
register('./record-loads-hooks.mjs', import.meta.url, { data: { out } });
