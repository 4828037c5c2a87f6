import { Fragment } from 'react';
import { groupedFingerprint } from './certificate-expiry';

/** A hex fingerprint as `aa:bb:cc…` that wraps only between bytes, never inside one. */
export function Fingerprint({ hex }: { hex: string }) {
  const bytes = groupedFingerprint(hex).split(':');
  return (
    <span className="fingerprint">
      {bytes.map((b, i) => (
        <Fragment key={i}>
          {b}
          {i < bytes.length - 1 && (
            <>
              :<wbr />
            </>
          )}
        </Fragment>
      ))}
    </span>
  );
}
