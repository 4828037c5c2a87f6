// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { FormFooter } from '../../../../renderer/app/FormFooter';

afterEach(cleanup);

function SlowForm({ submitted }: { submitted: string[] }) {
  const [busy, setBusy] = useState(false);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submitted.push('submit');
        setBusy(true);
      }}
    >
      <input aria-label="Name" />
      <FormFooter busy={busy} label="Save" busyLabel="Saving…" />
      <button type="button" onClick={() => setBusy(false)}>
        Done
      </button>
    </form>
  );
}

describe('FormFooter', () => {
  it('keeps its button focusable while busy, so focus is not dropped on the page, and submits once', () => {
    const submitted: string[] = [];
    render(<SlowForm submitted={submitted} />);
    const save = screen.getByRole('button', { name: 'Save' });
    save.focus();
    fireEvent.click(save);
    const busy = screen.getByRole('button', { name: 'Saving…' });
    expect(busy).toBe(save);
    expect(busy.hasAttribute('disabled')).toBe(false);
    expect(busy.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(busy);
    fireEvent.click(busy);
    expect(submitted).toEqual(['submit']);
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.getByRole('button', { name: 'Save' }).getAttribute('aria-disabled')).toBeNull();
  });
});
