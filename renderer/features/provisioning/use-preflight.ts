import { useEffect, useState } from 'react';
import { useProvisioningStore, type Preflight, type RunCredentials } from './provisioning-store';

const NOTHING: Preflight = { warnings: [], error: null };

/**
 * What the core would refuse or warn about for these choices (a developer certificate past 100 devices, a CA not
 * trusted yet), asked 300 ms after the choices last changed, and shown only while they are still the choices.
 */
export function usePreflight(credentials: RunCredentials | null, updateCert: string | null, deviceCount: number): Preflight {
  const preflight = useProvisioningStore((s) => s.preflight);
  const [checked, setChecked] = useState<{ key: string; answer: Preflight } | null>(null);
  const key = JSON.stringify([credentials, updateCert, deviceCount]);
  useEffect(() => {
    const [creds, update, count] = JSON.parse(key) as [RunCredentials | null, string | null, number];
    if (!creds || !update || count === 0) return;
    let current = true;
    const timer = setTimeout(() => void preflight(creds, update).then((answer) => current && answer && setChecked({ key, answer })), 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, preflight]);
  return checked?.key === key ? checked.answer : NOTHING;
}
