// @vitest-environment jsdom
import { describe, it, expect, afterEach } from 'vitest';
import { render, cleanup, screen, fireEvent } from '@testing-library/react';
import { channels } from '../../../../shared/contract/index';
import { fail, ok, type Failure, type Result } from '../../../../shared/contract/result';
import type { TeamCertificate } from '../../../../shared/contract/certificates';
import { setClient } from '../../../../renderer/transport/client';
import { ImportCertificateFile } from '../../../../renderer/app/ImportCertificateFile';
import { fakeClient } from '../../../support/renderer/fake-client';
import { teamCert, teamList } from '../../../support/renderer/certificates';

afterEach(cleanup);

function setup(answer: (req: { name: string }) => Result<TeamCertificate>) {
  const fake = fakeClient()
    .answer(channels.certificates.list, () => ok(teamList([])))
    .answer(channels.certificates.importDev, answer);
  setClient(fake.client);
  render(<ImportCertificateFile kind="developer" title="Import developer certificate" submitLabel="Import developer certificate" />);
  return fake;
}

async function importFile(name: string, text: string): Promise<void> {
  fireEvent.change(screen.getByLabelText('Developer certificate name'), { target: { value: name } });
  fireEvent.change(screen.getByLabelText('mbed_cloud_dev_credentials.c'), { target: { files: [new File([text], 'mbed_cloud_dev_credentials.c')] } });
  fireEvent.click(screen.getByRole('button', { name: 'Import developer certificate' }));
}

describe('ImportCertificateFile', () => {
  it("puts the core's file errors under the file, name errors under the name, and anything else under the form", async () => {
    let answer: Failure<string> = fail(
      'missing-symbol',
      'mbed_cloud_dev_credentials.c has no MBED_CLOUD_DEV_ACCOUNT_ID: the file is incomplete or not the expected one; nothing was stored',
    );
    const fake = setup(() => answer);
    await importFile('portal', 'const char X[] = "x";');
    const fileInput = screen.getByLabelText('mbed_cloud_dev_credentials.c');
    expect(await screen.findByText(/^mbed_cloud_dev_credentials\.c has no MBED_CLOUD_DEV_ACCOUNT_ID/)).toHaveProperty('id', `${fileInput.id}-error`);
    expect(fileInput.getAttribute('aria-invalid')).toBe('true');
    expect(fake.requests(channels.certificates.importDev)).toEqual([
      { name: 'portal', fileName: 'mbed_cloud_dev_credentials.c', text: 'const char X[] = "x";' },
    ]);

    answer = fail('invalid-request', 'name: use letters, digits, dot, dash or underscore', {
      issues: [{ path: 'name', message: 'use letters, digits, dot, dash or underscore' }],
    });
    await importFile('a b', 'x');
    const nameInput = screen.getByLabelText('Developer certificate name');
    await screen.findByText(/^Name: use letters/);
    expect(nameInput.getAttribute('aria-invalid')).toBe('true');
    expect(fileInput.getAttribute('aria-invalid')).toBeNull();

    answer = fail('store-unwritable', 'cannot write the Team Store /x: check its permissions');
    await importFile('portal', 'x');
    await screen.findByText(/^Cannot write the Team Store/);
    expect(nameInput.getAttribute('aria-invalid')).toBeNull();
    expect(fileInput.getAttribute('aria-invalid')).toBeNull();
  });

  it('imports through import-dev and clears the form', async () => {
    const fake = setup((req) => ok(teamCert(req.name, 'developer')));
    await importFile('portal', 'text');
    await screen.findByText('Choose the file, or drop it here.');
    expect(fake.requests(channels.certificates.importDev)).toHaveLength(1);
    expect((screen.getByLabelText('Developer certificate name') as HTMLInputElement).value).toBe('');
  });

  it('puts focus on the field it refuses, as the wizard does, so the keyboard user lands on what to fix', async () => {
    setup(() => fail('missing-symbol', 'mbed_cloud_dev_credentials.c has no MBED_CLOUD_DEV_ACCOUNT_ID: the file is incomplete; nothing was stored'));
    const nameInput = screen.getByLabelText('Developer certificate name');
    const fileInput = screen.getByLabelText('mbed_cloud_dev_credentials.c');
    const submit = screen.getByRole('button', { name: 'Import developer certificate' });
    submit.focus();
    fireEvent.click(submit);
    await screen.findByText(/^Developer certificate name: enter a name/);
    expect(document.activeElement).toBe(nameInput);

    fireEvent.change(nameInput, { target: { value: 'portal' } });
    submit.focus();
    fireEvent.click(submit);
    await screen.findByText(/^File: choose or drop/);
    expect(document.activeElement).toBe(fileInput);

    await importFile('portal', 'x');
    await screen.findByText(/has no MBED_CLOUD_DEV_ACCOUNT_ID/);
    expect(document.activeElement).toBe(fileInput);
  });
});
