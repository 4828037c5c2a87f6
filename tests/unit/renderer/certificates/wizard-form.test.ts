import { describe, it, expect } from 'vitest';
import { checkWizardForm, effectiveCommonName, emptyWizardForm, firstStepWithError, stepErrors, toUpdateCertInput } from '../../../../renderer/features/certificates/wizard-form';

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
    expect(stepErrors(check.errors, 2)).toEqual({ days: check.errors.days });
    expect(firstStepWithError({ days: 'x' })).toBe(2);
    expect(firstStepWithError({ commonName: 'x' })).toBe(1);
    expect(firstStepWithError({})).toBeUndefined();
  });

  it('defaults the common name to the domain until the user types one', () => {
    const form = { ...emptyWizardForm({ domain: 'arm.com', model: 'dev-device' }) };
    expect(effectiveCommonName(form)).toBe('arm.com');
    expect(toUpdateCertInput({ ...form, commonName: 'Arm firmware', commonNameEdited: true }).commonName).toBe('Arm firmware');
    expect(toUpdateCertInput({ ...form, domain: ' arm.com ', country: 'GB' })).toMatchObject({ domain: 'arm.com', model: 'dev-device', country: 'GB', commonName: 'arm.com', days: '90' });
  });
});
