import type { AriaAttributes } from 'react';
import type { TeamCertificate } from '../../../shared/contract/certificates';

const optionLabel = (c: TeamCertificate) =>
  c.expiry === 'expired'
    ? `${c.name} (expired ${c.notAfter?.slice(0, 10) ?? ''})`
    : c.notAfter
      ? `${c.name} (expires ${c.notAfter.slice(0, 10)}${c.expiry === 'expiring' ? ', soon' : ''})`
      : c.name;

interface Props {
  id: string;
  label: string;
  certificates: readonly TeamCertificate[];
  value: string;
  onChange(value: string): void;
  loaded: boolean;
  /** The last option, which opens a form instead of choosing (Create new…, Import…). */
  action: { value: string; label: string };
  /** aria-invalid and aria-describedby while the field is the one to fix. */
  invalid?: Pick<AriaAttributes, 'aria-invalid' | 'aria-describedby'>;
}

/** A Team Store certificate of one kind, with its expiry in each option. */
export function TeamCertificateSelect({ id, label, certificates, value, onChange, loaded, action, invalid }: Props) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} {...invalid}>
        <option value="">{loaded ? 'Choose…' : 'Loading…'}</option>
        {certificates.map((c) => (
          <option key={c.name} value={c.name}>
            {optionLabel(c)}
          </option>
        ))}
        <option value={action.value}>{action.label}</option>
      </select>
    </div>
  );
}
