import { usageError, type CliContext } from './command';

/** The longest line read as a secret. */
const MAX_SECRET_LINE = 4096;

/** One line of standard input (a file or a pipe from a secrets manager): the secret never appears in any argv. */
async function readLine(ctx: CliContext): Promise<string> {
  let text = '';
  for await (const c of ctx.stdin as AsyncIterable<Buffer | string>) {
    text += c.toString();
    if (text.includes('\n') || text.length > MAX_SECRET_LINE) break;
  }
  return (text.split(/\r?\n/)[0] ?? '').slice(0, MAX_SECRET_LINE).trim();
}

/** A prompt on the terminal that does not echo what is typed (raw mode; Enter ends it, Ctrl-C cancels). */
function promptHidden(ctx: CliContext, question: string): Promise<string> {
  const input = ctx.stdin as NodeJS.ReadStream;
  input.setRawMode?.(true); // before the question: whatever is typed once it shows is never echoed
  input.setEncoding('utf8');
  input.resume();
  ctx.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      ctx.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          return resolve(typed.trim());
        }
        if (ch === '\u0003') {
          finish();
          return reject(usageError('cancelled: nothing was saved'));
        }
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (typed.length < MAX_SECRET_LINE) typed += ch;
      }
    };
    input.on('data', onData);
  });
}

/** A secret from a hidden prompt on a terminal, else from one line of standard input. */
export function readSecret(ctx: CliContext, question: string): Promise<string> {
  return ctx.stdin.isTTY ? promptHidden(ctx, question) : readLine(ctx);
}
