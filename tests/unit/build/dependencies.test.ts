import { describe, it, expect } from 'vitest';
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import pkg from '../../../package.json';

/** The npm packages the main-process bundle loads at run time (bundled the way scripts/build.mjs bundles it). */
async function mainProcessPackages(): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: ['electron/main/main.ts'],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'silent',
  });
  const builtins = new Set(builtinModules);
  const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path));
  const packages = imports
    .filter((path) => !path.startsWith('node:') && !builtins.has(path))
    .map((path) =>
      path
        .split('/')
        .slice(0, path.startsWith('@') ? 2 : 1)
        .join('/'),
    );
  return [...new Set(packages)].filter((name) => name !== 'electron').sort();
}

describe('dependencies', () => {
  it('are exactly what the main process loads: electron-builder ships them, and only them, in the app', async () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(await mainProcessPackages());
  });

  it('keep the renderer’s libraries with the dev tools: Vite bundles them into the page', () => {
    for (const name of ['react', 'react-dom', 'zustand']) {
      expect(pkg.dependencies).not.toHaveProperty(name);
      expect(pkg.devDependencies).toHaveProperty(name);
    }
  });
});
