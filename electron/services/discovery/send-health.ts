import type { DiscoveryHealth } from '../../../shared/contract/devices';

/** Send errors by which an OS refuses local-network traffic (macOS 15 without Local Network access, a firewall). */
const REFUSALS = new Set(['EHOSTUNREACH', 'EPERM', 'EACCES']);

/**
 * How mDNS sends are going, per interface and IP version: the last result of each. An interface works while
 * either of its sockets can send; discovery as a whole is `ok` while any socket can, `refused` when every one
 * fails and the OS refused at least one, `failing` otherwise.
 */
export class SendHealth {
  readonly #last = new Map<string, NodeJS.ErrnoException | null>();

  /** Records a send's outcome; says whether its interface worked before and works now. */
  record(link: string, family: 4 | 6, error: NodeJS.ErrnoException | null): { worked: boolean; works: boolean } {
    const worked = this.linkWorks(link);
    this.#last.set(`${link}/${family}`, error);
    return { worked, works: this.linkWorks(link) };
  }

  linkWorks(link: string): boolean {
    return this.#last.get(`${link}/4`) === null || this.#last.get(`${link}/6`) === null;
  }

  /** `sending` and `sendError` for the discovery health. */
  summary(): Pick<DiscoveryHealth, 'sending' | 'sendError'> {
    if (!this.#last.size) return { sending: 'idle', sendError: null };
    const errors = [...this.#last].filter((e): e is [string, NodeJS.ErrnoException] => e[1] !== null);
    if (errors.length < this.#last.size) return { sending: 'ok', sendError: null };
    const refusal = errors.find(([, e]) => REFUSALS.has(e.code ?? ''));
    const [where, e] = refusal ?? errors[0]!;
    return { sending: refusal ? 'refused' : 'failing', sendError: `${e.code ?? e.message} on ${where.split('/')[0]}` };
  }

  forgetLink(link: string): void {
    for (const k of [...this.#last.keys()]) if (k.startsWith(`${link}/`)) this.#last.delete(k);
  }

  clear(): void {
    this.#last.clear();
  }
}
