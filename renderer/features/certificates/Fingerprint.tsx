import { BreakAfterColons } from '../../app/BreakAfterColons';
import { groupedFingerprint } from './certificate-expiry';

/** A fingerprint as `aa:bb:cc…`, wrapping only between byte groups; the text is the plain grouped string for copying. */
export function Fingerprint({ hex, testId }: { hex: string; testId?: string }) {
  return (
    <dd className="mono fingerprint" data-testid={testId}>
      <BreakAfterColons text={groupedFingerprint(hex)} />
    </dd>
  );
}
