// @vitest-environment jsdom
import { describe, it, expect, afterEach } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { setClient } from '../../../../renderer/transport/client';
import { CaWizard } from '../../../../renderer/features/certificates/CaWizard';
import { fakeClient } from '../../../support/renderer/fake-client';

afterEach(cleanup);

describe('New CA wizard', () => {
  it('an empty CA name says what to type, in the words of the field, and keeps focus there', async () => {
    setClient(fakeClient().client);
    render(<CaWizard />);
    const name = screen.getByLabelText('CA name');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    const error = await screen.findByText(/^CA name:/);
    expect(error.textContent).toBe('CA name: enter a name for the CA, for example lab-ca');
    expect(document.activeElement).toBe(name);
  });
});
