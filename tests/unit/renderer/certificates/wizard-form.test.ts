import { describe, it, expect } from 'vitest';
import {
  checkWizardForm,
  derivedIds,
  effectiveCommonName,
  emptyWizardForm,
  firstStepWithError,
  nextStep,
  previousStep,
  shownIds,
  stepErrors,
  toUpdateCertInput,
  toWizardRequest,
} from '../../../../renderer/features/certificates/wizard-form';

describe('wizard form', () => {
  it('derives manifest-tool IDs as the user types', () => {
    const form = { ...emptyWizardForm(), domain: 'arm.com', model: 'dev-device' };
    const check = checkWizardForm(form);
    expect(check.vendorId).toBe('fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe');
    expect(check.classId).toBe('4d131344-feab-5a2e-84a2-0dccdd905f35');
    expect(check.days).toBe(90);
    expect(check.errors).toEqual({});
  });

  it('keeps the vendor ID while the model is still empty, and says what to type', () => {
    const check = checkWizardForm({ ...emptyWizardForm(), domain: 'arm.com' });
    expect(check.vendorId).toBe('fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe');
    expect(check.classId).toBeUndefined();
    expect(check.errors.model).toMatch(/model name is required.*dev-device/);
    expect(check.errors.model).not.toMatch(/-C/);
  });

  it('refuses a one-label domain and bad days with field messages', () => {
    const check = checkWizardForm({ ...emptyWizardForm(), domain: 'localhost', model: 'm', days: '9o' });
    expect(check.errors.domain).toBe('"localhost" is not a valid domain name.');
    expect(check.errors.days).toMatch(/positive whole number/);
    expect(stepErrors(check.errors, 0)).toEqual({ domain: check.errors.domain });
    expect(stepErrors(check.errors, 3)).toEqual({ days: check.errors.days });
    expect(firstStepWithError({ days: 'x' })).toBe(3);
    expect(firstStepWithError({ commonName: 'x' })).toBe(2);
    expect(firstStepWithError({ keyPath: 'x' })).toBe(1);
    expect(firstStepWithError({})).toBeUndefined();
  });

  it('defaults the common name to the domain until the user types one', () => {
    const form = { ...emptyWizardForm({ domain: 'arm.com', model: 'dev-device' }) };
    expect(effectiveCommonName(form)).toBe('arm.com');
    expect(toUpdateCertInput({ ...form, commonName: 'Arm firmware', commonNameEdited: true }).commonName).toBe('Arm firmware');
    expect(toUpdateCertInput({ ...form, domain: ' arm.com ', country: 'GB' })).toMatchObject({
      domain: 'arm.com',
      model: 'dev-device',
      country: 'GB',
      commonName: 'arm.com',
      days: '90',
    });
  });

  it('shows the derived IDs as defaults, and sends a typed UUID as -V/-C would', () => {
    const form = emptyWizardForm({ domain: 'arm.com', model: 'dev-device' });
    expect(shownIds(form)).toEqual({ vendorId: 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe', classId: '4d131344-feab-5a2e-84a2-0dccdd905f35' });
    // The derived ID typed back (any case) is still the default: the domain is sent.
    expect(toUpdateCertInput({ ...form, vendorId: 'FA6B4A53-D5AD-5FDF-BE9D-E663E4D41FFE', vendorIdEdited: true })).toMatchObject({
      domain: 'arm.com',
      model: 'dev-device',
    });
    const vendorId = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    const custom = { ...form, vendorId, vendorIdEdited: true };
    const input = toUpdateCertInput(custom);
    expect(input).toMatchObject({ vendorId, model: 'dev-device', commonName: 'arm.com' });
    expect(input).not.toHaveProperty('domain');
    // The class ID now derives from the custom vendor ID.
    expect(derivedIds(custom).classId).not.toBe('4d131344-feab-5a2e-84a2-0dccdd905f35');
    expect(checkWizardForm(custom)).toMatchObject({ vendorId, classId: derivedIds(custom).classId, errors: {} });
    const both = { ...custom, classId: '11111111-2222-3333-4444-555555555555', classIdEdited: true };
    expect(toUpdateCertInput(both)).toMatchObject({ vendorId, classId: '11111111-2222-3333-4444-555555555555' });
    expect(toUpdateCertInput(both)).not.toHaveProperty('model');
    // An emptied field goes back to the default; a bad one is refused by the shared rule.
    expect(toUpdateCertInput({ ...form, vendorId: ' ', vendorIdEdited: true })).toMatchObject({ domain: 'arm.com' });
    expect(checkWizardForm({ ...form, classId: 'not-a-uuid', classIdEdited: true }).errors.classId).toMatch(/class ID "not-a-uuid" is not a valid UUID/);
    // The domain stays the common name's default, so it is checked even when the vendor ID is given.
    expect(checkWizardForm({ ...custom, domain: 'localhost' }).errors.domain).toBe('"localhost" is not a valid domain name.');
  });

  it('skips the subject and validity steps for an existing certificate, and sends its files instead', () => {
    const form = {
      ...emptyWizardForm({ domain: 'arm.com', model: 'dev-device' }),
      certificate: 'existing' as const,
      certificatePath: ' /k/c.der ',
      keyPath: '',
    };
    expect(nextStep(1, form)).toBe(4);
    expect(previousStep(4, form)).toBe(1);
    expect(nextStep(1, { ...form, certificate: 'new' })).toBe(2);
    expect(checkWizardForm(form).errors.keyPath).toMatch(/private key file/);
    expect(toWizardRequest({ ...form, keyPath: '/k/k.pem' })).toEqual({
      domain: 'arm.com',
      model: 'dev-device',
      certificatePath: '/k/c.der',
      keyPath: '/k/k.pem',
    });
  });
});
