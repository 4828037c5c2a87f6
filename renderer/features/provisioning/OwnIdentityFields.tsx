import { useId, type InputHTMLAttributes } from 'react';
import type { CertificateAuthority } from '../../../shared/contract/ca';
import { DEFAULT_DEVICE_YEARS } from '../../../shared/contract/ca';
import type { OwnIdentityRequest } from '../../../shared/contract/provisioning';
import { DEFAULT_ENDPOINT_TEMPLATE } from '../../../shared/domain/endpoint-name';
import type { TeamCertificate } from '../../../shared/contract/certificates';

/** The own-identity part of the set-up panel, as typed. */
export interface IdentityForm {
  ca: string;
  template: string;
  years: string;
  reissue: boolean;
  manufacturer: string;
  modelNumber: string;
  deviceType: string;
  hardwareVersion: string;
  memoryTotalKb: string;
  accountCert: string;
}

export const emptyIdentityForm = (): IdentityForm => ({
  ca: '',
  template: DEFAULT_ENDPOINT_TEMPLATE,
  years: String(DEFAULT_DEVICE_YEARS),
  reissue: false,
  manufacturer: '',
  modelNumber: '',
  deviceType: '',
  hardwareVersion: '',
  memoryTotalKb: '',
  accountCert: '',
});

/** The request for the form, or the first field that is wrong (named, with what to do). */
export function identityRequest(f: IdentityForm): { ok: true; value: OwnIdentityRequest } | { ok: false; field: keyof IdentityForm; message: string } {
  if (!f.ca) return { ok: false, field: 'ca', message: 'Certificate authority: choose one, or create one on the Certificates screen.' };
  if (!f.template.trim()) return { ok: false, field: 'template', message: 'Endpoint name template: enter one, for example {hostname} or lab-{seq}.' };
  if (!/^\d+$/.test(f.years.trim()) || Number(f.years) < 1 || Number(f.years) > 100)
    return { ok: false, field: 'years', message: 'Validity: a whole number of years from 1 to 100.' };
  if (f.memoryTotalKb.trim() && (!/^\d+$/.test(f.memoryTotalKb.trim()) || Number(f.memoryTotalKb) > 0xffffffff)) {
    return { ok: false, field: 'memoryTotalKb', message: "Memory total: a whole number of KiB, or empty for the developer certificate's value." };
  }
  const text = (v: string) => (v.trim() ? v.trim() : undefined);
  const profile = Object.fromEntries(
    Object.entries({
      manufacturer: text(f.manufacturer),
      modelNumber: text(f.modelNumber),
      deviceType: text(f.deviceType),
      hardwareVersion: text(f.hardwareVersion),
      memoryTotalKb: f.memoryTotalKb.trim() ? Number(f.memoryTotalKb) : undefined,
    }).filter(([, v]) => v !== undefined),
  );
  return {
    ok: true,
    value: {
      ca: f.ca,
      endpointTemplate: f.template.trim(),
      years: Number(f.years),
      ...(f.reissue ? { reissue: true } : {}),
      ...(Object.keys(profile).length ? { profile } : {}),
      ...(f.accountCert ? { accountCert: f.accountCert } : {}),
    },
  };
}

const TRUST_NOTE: Record<CertificateAuthority['trust']['state'], string> = {
  trusted: 'trusted',
  'not-trusted': 'not trusted in your account yet',
  unknown: 'trust unknown',
};

function Field(props: { label: string; hint?: string; invalid?: boolean; errorId?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const { label, hint, invalid, errorId, ...rest } = props;
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...rest}
        aria-invalid={invalid || undefined}
        aria-describedby={[invalid ? errorId : undefined, hint ? `${id}-hint` : undefined].filter(Boolean).join(' ') || undefined}
      />
      {hint && (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      )}
    </div>
  );
}

/** CA, endpoint names, validity, re-issue and the device profile of an own-identity run. */
export function OwnIdentityFields(props: {
  form: IdentityForm;
  onChange: (patch: Partial<IdentityForm>) => void;
  authorities: CertificateAuthority[];
  devCerts: readonly TeamCertificate[];
  invalid?: keyof IdentityForm | undefined;
  errorId: string;
}) {
  const { form, onChange, authorities, devCerts, invalid, errorId } = props;
  const ids = { ca: useId(), reissue: useId(), account: useId() };
  const bad = (field: keyof IdentityForm) => ({ invalid: invalid === field, errorId });
  return (
    <div className="inline-form own-identity">
      <div className="field">
        <label htmlFor={ids.ca}>Certificate authority</label>
        <select
          id={ids.ca}
          value={form.ca}
          onChange={(e) => onChange({ ca: e.target.value })}
          aria-invalid={invalid === 'ca' || undefined}
          aria-describedby={invalid === 'ca' ? errorId : undefined}
        >
          <option value="">{authorities.length ? 'Choose…' : 'None yet: create one on the Certificates screen'}</option>
          {authorities.map((a) => (
            <option key={a.name} value={a.name}>
              {a.name} ({TRUST_NOTE[a.trust.state]})
            </option>
          ))}
        </select>
      </div>
      <Field
        label="Endpoint name template"
        value={form.template}
        onChange={(e) => onChange({ template: e.target.value })}
        spellCheck={false}
        autoComplete="off"
        className="mono"
        hint="{hostname} (the default), {seq} (a counter that never repeats) or {uuid}, with text around them, e.g. lab-{seq}."
        {...bad('template')}
      />
      <Field
        label="Certificate validity (years)"
        value={form.years}
        inputMode="numeric"
        onChange={(e) => onChange({ years: e.target.value })}
        hint="Never past the CA's own expiry."
        {...bad('years')}
      />
      <div className="checkbox-field">
        <input id={ids.reissue} type="checkbox" checked={form.reissue} onChange={(e) => onChange({ reissue: e.target.checked })} />
        <label htmlFor={ids.reissue}>Re-issue: give devices that already hold an identity a new certificate for the same endpoint name</label>
      </div>
      <fieldset className="profile-fields">
        <legend>Device profile</legend>
        <p className="field-hint">Empty fields keep the developer certificate's values. The serial number is each device's endpoint name.</p>
        <Field label="Manufacturer" value={form.manufacturer} onChange={(e) => onChange({ manufacturer: e.target.value })} maxLength={64} />
        <Field label="Model number" value={form.modelNumber} onChange={(e) => onChange({ modelNumber: e.target.value })} maxLength={64} />
        <Field label="Device type" value={form.deviceType} onChange={(e) => onChange({ deviceType: e.target.value })} maxLength={64} />
        <Field label="Hardware version" value={form.hardwareVersion} onChange={(e) => onChange({ hardwareVersion: e.target.value })} maxLength={64} />
        <Field
          label="Memory total (KiB)"
          value={form.memoryTotalKb}
          inputMode="numeric"
          onChange={(e) => onChange({ memoryTotalKb: e.target.value })}
          {...bad('memoryTotalKb')}
        />
      </fieldset>
      <div className="field">
        <label htmlFor={ids.account}>Account settings from</label>
        <select id={ids.account} value={form.accountCert} onChange={(e) => onChange({ accountCert: e.target.value })}>
          <option value="">Automatic</option>
          {devCerts.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        <span className="field-hint">The account ID, bootstrap server and its root CA come from a developer certificate of your account.</span>
      </div>
    </div>
  );
}
