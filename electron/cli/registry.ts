import type { CliCommand } from './command';

/**
 * Every pws command: its name, a one-line summary for `pws --help`, and a lazy loader so that starting
 * the CLI loads only the command that runs. docs/cli.md documents each one (a unit test keeps it in step).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CliCommand>;
}

export const commands: CommandEntry[] = [
  { name: 'settings', summary: 'Show or change the workstation settings', load: async () => (await import('./commands/settings')).settingsCommand },
  {
    name: 'init',
    summary: 'Make the update certificate and manifest-tool files (manifest-tool init)',
    load: async () => (await import('./commands/init')).initCommand,
  },
  {
    name: 'discover',
    summary: 'List devices found over mDNS (--watch to follow, --all for non-MBL)',
    load: async () => (await import('./commands/discover')).discoverCommand,
  },
  {
    name: 'select',
    summary: 'Select the device later commands use (writes ~/.mbl-dev.json)',
    load: async () => (await import('./commands/select')).selectCommand,
  },
  { name: 'which', summary: 'Print the selected device', load: async () => (await import('./commands/which')).whichCommand },
  {
    name: 'provision',
    summary: 'Provision devices over SSH: a developer certificate, or --ca for an own identity each',
    load: async () => (await import('./commands/provision')).provisionCommand,
  },
  {
    name: 'status',
    summary: 'Ask devices whether they are provisioned (--get-pelion-status)',
    load: async () => (await import('./commands/status')).statusCommand,
  },
  {
    name: 'known-hosts',
    summary: "List or forget the devices' pinned SSH host keys",
    load: async () => (await import('./commands/known-hosts')).knownHostsCommand,
  },
  {
    name: 'api-key',
    summary: 'Save, show (masked) or delete the Device Management API key (OS keychain)',
    load: async () => (await import('./commands/api-key')).apiKeyCommand,
  },
  { name: 'certs', summary: "List, create, import or delete the Team Store's certificates", load: async () => (await import('./commands/certs')).certsCommand },
  {
    name: 'enroll',
    summary: 'First-to-Claim: export enrollment identities from the registry to CSV, or upload a CSV',
    load: async () => (await import('./commands/enroll')).enrollCommand,
  },
  {
    name: 'ca',
    summary: 'Create, import, list, delete or trust your own CA for per-device identities',
    load: async () => (await import('./commands/ca')).caCommand,
  },
  {
    name: 'identities',
    summary: 'List or show the identities issued from your own CA (the registry)',
    load: async () => (await import('./commands/identities')).identitiesCommand,
  },
  {
    name: 'history',
    summary: 'List provisioning history, from every station when a shared database is in use',
    load: async () => (await import('./commands/history')).historyCommand,
  },
  {
    name: 'db',
    summary: 'The shared database: status, migrate, import-local, password (OS keychain)',
    load: async () => (await import('./commands/db')).dbCommand,
  },
  // commands: one line per command
];
