import { describe, expect, it } from 'vitest';
import { caCreateRequest, caSubject, checkCaForm, emptyCaForm } from '../../../../renderer/features/certificates/ca-wizard-form';

const form = (patch: Partial<ReturnType<typeof emptyCaForm>>) => ({ ...emptyCaForm(), ...patch });

describe('the New CA form', () => {
  it('starts with no name and the default validity of 30 years, and asks for a name in the words of the field', () => {
    expect(emptyCaForm()).toEqual({ name: '', organization: '', organizationalUnit: '', country: '', years: '30' });
    expect(checkCaForm(emptyCaForm())).toEqual({ name: 'CA name: enter a name for the CA, for example lab-ca' });
  });

  it('refuses a name the Team Store cannot hold, fields over 64 characters, and a validity outside 1 to 100 whole years', () => {
    const errors = checkCaForm(form({ name: '../up', organization: 'o'.repeat(65), organizationalUnit: 'u'.repeat(65), years: '1.5' }));
    expect(Object.keys(errors).sort()).toEqual(['name', 'organization', 'organizationalUnit', 'years']);
    expect(errors.name).toMatch(/^CA name: /);
    expect(checkCaForm(form({ name: 'lab-ca', years: '0' })).years).toBe('Valid for: a whole number of years from 1 to 100');
    expect(checkCaForm(form({ name: 'lab-ca', years: '101' })).years).toBeDefined();
    expect(checkCaForm(form({ name: 'lab-ca', years: '100' }))).toEqual({});
  });

  it('writes the subject and the request with the optional fields left out when empty, trimmed when given', () => {
    expect(caSubject(form({ name: ' lab-ca ' }))).toBe('CN=lab-ca');
    const full = form({ name: 'line-ca', organization: ' Acme ', organizationalUnit: 'Pilot line', country: 'FI', years: '10' });
    expect(caSubject(full)).toBe('C=FI, O=Acme, OU=Pilot line, CN=line-ca');
    expect(caCreateRequest(form({ name: 'lab-ca', years: '1' }))).toEqual({ name: 'lab-ca', days: 365 });
    expect(caCreateRequest(full)).toEqual({ name: 'line-ca', organization: 'Acme', organizationalUnit: 'Pilot line', country: 'FI', days: 3653 });
  });
});
