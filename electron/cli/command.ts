import type { ParseArgsConfig } from 'node:util';
import type { Core } from '../services/core';
import type { PkiService } from '../services/pki/pki-service';
import type { Storage } from '../services/database/storage';
import type { Result } from '../../shared/contract/result';
import type { CliOutput } from './terminal-text';

/** Exit codes, as docs/cli.md documents them. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Thrown for a usage error (exit 2) or an operation failure (exit 1); the message is the one line shown. */
export class CliError extends Error {
  constructor(
    readonly exitCode: 1 | 2,
    message: string,
    /** The service's error code, for `--json` (`usage` or `failed` when the CLI itself refused). */
    readonly code: string = exitCode === EXIT.usage ? 'usage' : 'failed',
  ) {
    super(message);
  }
}
export const usageError = (message: string) => new CliError(EXIT.usage, message);
export const failure = (message: string, code?: string) => new CliError(EXIT.failed, message, code);

/** Turn a failed service Result into the CLI's one-line error; pass a success through. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw failure(result.message, result.code);
  return result.value;
}

export interface CliContext {
  /** Positional arguments after the command name (and after the sub-command, if any). */
  positionals: string[];
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  json: boolean;
  verbose: boolean;
  /** The core, built on first use so `--help` never pays for it. */
  core(): Core;
  /** The update-certificate service; alone (without the rest of the core) for a command that sets `usesCore: false`. */
  pki(): Promise<PkiService>;
  /** The settings, history and shared-database services; alone (without the rest of the core) for a command that sets `usesCore: false`. */
  storage(): Promise<Storage>;
  /** Results; what would drive a terminal is escaped on the way (terminal-text.ts). */
  stdout: CliOutput;
  /** Progress, notes, warnings and errors; escaped as stdout is. */
  stderr: CliOutput;
  /** stderr itself, for readline's prompts: their cursor codes must reach the terminal. */
  promptOutput: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C so long commands can stop cleanly. */
  signal: AbortSignal;
}

export interface CliCommand {
  /** e.g. `settings [get|set KEY VALUE]`: shown in the command's own help. */
  usage: string;
  description: string;
  options?: ParseArgsConfig['options'];
  /**
   * False for a command that never calls `ctx.core()` (only `ctx.pki()` or `ctx.storage()`): the CLI then does
   * not load the core's modules (mDNS, SSH, the cloud client), which would be most of its start-up time.
   */
  usesCore?: false;
  /** Returns the exit code (0 unless the command decides otherwise). */
  run(ctx: CliContext): Promise<number | void>;
}

/** A warning on stderr, marked as every command and the CLI's log mark theirs. */
export function warn(ctx: Pick<CliContext, 'stderr'>, message: string): void {
  ctx.stderr.write(`pws: warning: ${message}\n`);
}

/** Print a value: the JSON document with --json, else the human text. */
export function print(ctx: CliContext, json: unknown, human: () => string): void {
  if (ctx.json) ctx.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else ctx.stdout.write(`${human()}\n`);
}
