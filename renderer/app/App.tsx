import { Suspense, useEffect, useRef, useState } from 'react';
import { screens } from './screens';
import { useNavigation } from './navigation-store';
import { useNotifications } from './notifications-store';
import { useTheme } from './use-theme';
import { AboutDialog } from '../features/about/AboutDialog';
import { MigrateConsent } from '../features/database/MigrateConsent';

export function App() {
  const current = useNavigation((s) => s.current);
  const go = useNavigation((s) => s.go);
  const [aboutOpen, setAboutOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  useTheme();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const target = screens.find((s) => s.shortcut === e.key);
      if (target) {
        e.preventDefault();
        go(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  const active = screens.find((s) => s.id === current) ?? screens[0]!;
  const Screen = active.component;

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Sections">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">◆</span> Provisioning
          <br />
          Workstation
        </div>
        <ul>
          {screens.map((s) => (
            <li key={s.id}>
              <a
                href={`#/${s.id}`}
                aria-current={s.id === current ? 'page' : undefined}
                aria-keyshortcuts={`Alt+${s.shortcut}`}
                onClick={(e) => {
                  e.preventDefault();
                  go(s.id);
                }}
              >
                {s.label}
                <kbd aria-hidden="true">Alt {s.shortcut}</kbd>
              </a>
            </li>
          ))}
        </ul>
        <button type="button" className="link-button about-button" onClick={() => setAboutOpen(true)}>
          About
        </button>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1} aria-labelledby="screen-title">
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <Screen />
        </Suspense>
      </main>
      <Toasts />
      {aboutOpen && <AboutDialog onClose={() => setAboutOpen(false)} />}
      <MigrateConsent />
    </div>
  );
}

function Toasts() {
  const toasts = useNotifications((s) => s.toasts);
  const dismiss = useNotifications((s) => s.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : undefined}>
          <span>{t.text}</span>
          <button type="button" className="link-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
