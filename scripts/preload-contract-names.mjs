// esbuild plugin for the preload bundle: `shared/contract/index` becomes just the names of the contract's
// channels and events, evaluated from the real contract at build time. The preload then carries no zod
// (the main process validates every request), and the names still come from the contract, so they can't drift.
// Importing anything else from the contract in the preload fails the build ("No matching export").
import { build } from 'esbuild';
import { relative, resolve } from 'node:path';

export const preloadContractNames = {
  name: 'preload-contract-names',
  setup(preload) {
    preload.onResolve({ filter: /\/shared\/contract\/index$/ }, (args) => ({
      path: relative(process.cwd(), resolve(args.resolveDir, `${args.path}.ts`)),
      namespace: 'contract-names',
    }));
    preload.onLoad({ filter: /.*/, namespace: 'contract-names' }, async (args) => {
      const { channelNames, eventNames } = await evaluate(args.path);
      return {
        contents: `export const channelNames = new Set(${JSON.stringify([...channelNames])});\nexport const eventNames = new Set(${JSON.stringify([...eventNames])});\n`,
        loader: 'js',
      };
    });
  },
};

async function evaluate(contractIndex) {
  const bundle = await build({ entryPoints: [contractIndex], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
  return import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);
}
