// @vitest-environment jsdom
import { describe, it, expect, afterEach } from 'vitest';
import { render, cleanup } from '@testing-library/react';
import { Fingerprint } from '../../../../renderer/features/certificates/Fingerprint';

afterEach(cleanup);

describe('Fingerprint', () => {
  it('reads and copies as aa:bb:cc, and may break only after a colon, never inside a byte', () => {
    const { container } = render(
      <dl>
        <Fingerprint hex="0a1b2c3d" />
      </dl>,
    );
    const dd = container.querySelector('dd.fingerprint')!;
    expect(dd.textContent).toBe('0a:1b:2c:3d');
    expect(dd.innerHTML).toBe('0a:<wbr>1b:<wbr>2c:<wbr>3d');
  });
});
