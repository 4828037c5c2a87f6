import { useMemo } from 'react';
import { countryOptions } from '../../../shared/domain/countries';

/** The options of a subject's country picker: none, then every ISO 3166 country by name. */
export function CountryOptions() {
  const countries = useMemo(() => countryOptions('en'), []);
  return (
    <>
      <option value="">None (leave out)</option>
      {countries.map((c) => (
        <option key={c.code} value={c.code}>
          {c.name} ({c.code})
        </option>
      ))}
    </>
  );
}
