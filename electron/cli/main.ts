import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultCoreDeps, type Core, type CoreDeps } from '../services/core';
import { createStderrLogger } from '../services/log';
import type { PkiService } from '../services/pki/pki-service';
import type { Storage } from '../services/database/storage';
import { APP_VERSION } from '../version';
import { CliError, EXIT, type CliContext } from './command';
import { commands } from './registry';
import type { CliStream } from './fd-output';
import { terminalSafeOutput, type CliOutput } from './terminal-text';

export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'pws: discover, credential and provision IoT dev boards for Device Management.',
    '',
    'Usage: pws <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --json       print exactly one JSON document on stdout',
    '  --verbose    show details (and stack traces) on failure',
    '  -h, --help   show help (also: pws <command> --help, or pws help <command>)',
    '  --version    print the version',
    '',
    'Exit codes: 0 success, 1 the operation failed, 2 usage error.',
  ].join('\n');
}

/**
 * Node's parseArgs errors, said the way the rest of pws speaks: its "Unknown option" advice about positional
 * arguments never applies here, and an option value that starts with a dash needs the `=` form.
 */
function argsProblem(err: Error): string {
  const { message } = err;
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  // "Option '-d, --vendor-domain <value>' argument missing": the names as the help lists them, and the long one.
  const named = /^Option '((?:-\w, )?(-[^' ]+))/.exec(message);
  if (named && message.includes('argument missing')) return `${named[1]} needs a value`;
  if (named && message.includes('is ambiguous')) {
    const long = /use '(--[^=']+)=/.exec(message)?.[1] ?? named[2];
    return `${named[1]} needs a value; write one that starts with a dash as ${long}=VALUE`;
  }
  if (named && message.includes('does not take an argument')) return `${named[1]} takes no value`;
  return message.split('\n')[0]!;
}

type IoStream = (NodeJS.WritableStream & { isTTY?: boolean }) | CliStream;
/** The Node stream itself, for readline: a `CliStream` hands it over (and writes through it from then on). */
const nodeStreamOf = (s: IoStream): NodeJS.WritableStream => ('stream' in s && typeof s.stream === 'function' ? s.stream() : (s as NodeJS.WritableStream));

export interface CliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: IoStream;
  stderr: IoStream;
  stdin: CliContext['stdin'];
}

/** Runs one pws invocation and returns its exit code. Never throws. */
export async function runCli(io: CliIo, coreFactory?: () => Core): Promise<number> {
  // `pws help COMMAND` is `pws COMMAND --help`, as in git and npm.
  // `pws --json history` as well as `pws history --json`: global flags may come before the command.
  let first = 0;
  while (io.argv[first] === '--json' || io.argv[first] === '--verbose') first++;
  const leading = io.argv.slice(0, first);
  const argv = io.argv.slice(first);
  const [name, ...rest] = argv[0] === 'help' && argv[1] ? [argv[1], '--help', ...leading] : [argv[0], ...leading, ...argv.slice(1)];
  const verbose = io.argv.includes('--verbose');
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  // A reader that went away (`pws … | head`) is Ctrl-C, not a crash: a run cancels and cleans up on its devices,
  // and the stream's write errors are handled here instead of ending the process mid-run.
  const guarded = new WeakSet<object>();
  const guard = <T extends Pick<NodeJS.WritableStream, 'on'>>(stream: T): T => {
    if (!guarded.has(stream)) {
      guarded.add(stream);
      stream.on('error', () => controller.abort());
    }
    return stream;
  };
  // Made on first use (a command that prints nothing never creates process.stdout), then kept.
  let safeStdout: CliOutput | undefined;
  let safeStderr: CliOutput | undefined;
  let wroteStdout = false;
  const stdout = () => {
    if (!safeStdout) {
      const out = terminalSafeOutput(guard(io.stdout));
      safeStdout = {
        write: (text) => ((wroteStdout = true), out.write(text)),
        // asked only when a command wants it: asking builds process.stdout (see fd-output.ts)
        get isTTY() {
          return out.isTTY;
        },
      };
    }
    return safeStdout;
  };
  const stderr = () => (safeStderr ??= terminalSafeOutput(guard(io.stderr)));
  let core: Core | undefined;
  let storage: Storage | undefined;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      stdout().write(`${mainHelp()}\n`);
      return name ? EXIT.ok : EXIT.usage;
    }
    if (name === '--version' || name === '-v') {
      stdout().write(`${APP_VERSION}\n`);
      return EXIT.ok;
    }
    const entry = commands.find((c) => c.name === name);
    if (!entry) throw new CliError(EXIT.usage, `unknown command "${name}": run \`pws --help\` for the list`);
    const command = await entry.load();
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new CliError(EXIT.usage, `${argsProblem(err as Error)}: run \`pws ${name} --help\``);
    }
    if (parsed.values.help) {
      stdout().write(`Usage: pws ${command.usage}\n\n${command.description}\n`);
      return EXIT.ok;
    }
    // Loaded only for commands that run, so `--help` and `--version` stay quick; the core only for commands that use it.
    const composition = command.usesCore === false ? undefined : await import('../services/composition');
    let deps: CoreDeps | undefined;
    const coreDeps = () =>
      (deps ??= defaultCoreDeps({
        env: io.env,
        door: 'cli',
        log: createStderrLogger({ verbose, style: 'cli', write: (line) => void guard(io.stderr).write(line) }),
        appVersion: APP_VERSION,
      }));
    let pki: PkiService | undefined;
    const ctx: CliContext = {
      positionals: parsed.positionals,
      values: parsed.values,
      json: Boolean(parsed.values.json),
      verbose,
      core: () => {
        if (core) return core;
        if (coreFactory) return (core = coreFactory());
        if (!composition) throw new Error(`pws ${name} is marked usesCore: false but asked for the core`);
        return (core = composition.createCore(coreDeps()));
      },
      pki: async () => {
        if (coreFactory || composition) return ctx.core().services.pki;
        pki ??= (await import('../services/pki/pki-service')).createPkiService(coreDeps());
        return pki;
      },
      storage: async () => {
        if (coreFactory || composition) {
          const { settings, database, audit } = ctx.core().services;
          return { settings, database, audit, close: async () => undefined };
        }
        storage ??= (await import('../services/database/storage')).createStandaloneStorage(coreDeps());
        return storage;
      },
      get stdout() {
        return stdout();
      },
      get stderr() {
        return stderr();
      },
      get promptOutput() {
        return guard(nodeStreamOf(io.stderr));
      },
      get stdin() {
        return io.stdin;
      },
      env: io.env,
      signal: controller.signal,
    };
    return (await command.run(ctx)) ?? EXIT.ok;
  } catch (err) {
    const known = err instanceof CliError;
    const message = known ? err.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
    stderr().write(`pws: ${message}${known ? '' : verbose ? `\n${(err as Error)?.stack}` : ' (run with --verbose for details)'}\n`);
    const exitCode = known ? err.exitCode : EXIT.failed;
    // --json promises one document on stdout: a command that failed before printing its own prints the error.
    if (io.argv.includes('--json') && !wroteStdout) {
      stdout().write(`${JSON.stringify({ error: { code: known ? err.code : 'unexpected', exitCode, message } }, null, 2)}\n`);
    }
    return exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    await core?.close();
    await storage?.close();
  }
}
