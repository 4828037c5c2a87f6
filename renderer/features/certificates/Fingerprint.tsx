import { Fragment } from 'react';
import { groupedFingerprint } from './certificate-expiry';

/**
 * A fingerprint as `aa:bb:cc…` that wraps only between byte groups (a line break after a colon, never inside
 * a byte), so it can be read aloud and compared pair by pair. The text is the plain grouped string for copying.
 */
export function Fingerprint({ hex, testId }: { hex: string; testId?: string }) {
  const bytes = groupedFingerprint(hex).split(':');
  return (
    <dd className="mono fingerprint" data-testid={testId}>
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
    </dd>
  );
}
