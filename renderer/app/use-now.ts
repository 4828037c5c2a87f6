import { useEffect, useState } from 'react';

/**
 * The current time (epoch ms), refreshed every `intervalMs`, for "12 s ago", elapsed times and expiry
 * warnings: render stays pure, and only the components that show time re-render when it moves.
 */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
