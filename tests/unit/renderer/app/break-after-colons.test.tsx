// @vitest-environment jsdom
import { describe, it, expect, afterEach } from 'vitest';
import { render, cleanup } from '@testing-library/react';
import { BreakAfterColons } from '../../../../renderer/app/BreakAfterColons';

afterEach(cleanup);

describe('BreakAfterColons', () => {
  it('offers a line break after each colon only, and reads as the plain text', () => {
    const { container } = render(
      <p>
        <BreakAfterColons text="A-0a:1b:2c" />
      </p>,
    );
    const p = container.querySelector('p')!;
    expect(p.textContent).toBe('A-0a:1b:2c');
    expect(p.innerHTML).toBe('A-0a:<wbr>1b:<wbr>2c');
  });

  it('leaves text without colons whole', () => {
    const { container } = render(
      <p>
        <BreakAfterColons text="none" />
      </p>,
    );
    expect(container.querySelector('p')!.innerHTML).toBe('none');
  });
});
