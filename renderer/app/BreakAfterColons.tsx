import { Fragment } from 'react';

/**
 * Colon-grouped text (`aa:bb:cc`, `A-aa:bb`) that may wrap only after a colon, so a byte is never split across
 * lines and can be compared pair by pair. Copies as the plain string. Needs a container without
 * `overflow-wrap: anywhere` or `word-break: break-all`, which would allow breaks inside a group again.
 */
export function BreakAfterColons({ text }: { text: string }) {
  const groups = text.split(':');
  return (
    <>
      {groups.map((g, i) => (
        <Fragment key={i}>
          {g}
          {i < groups.length - 1 && (
            <>
              :<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}
