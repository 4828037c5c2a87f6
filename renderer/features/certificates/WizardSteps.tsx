/** The step list above a wizard: done steps marked, the current one announced as the current step. */
export function WizardSteps({ steps, current }: { steps: readonly string[]; current: number }) {
  return (
    <ol className="wizard-steps" aria-label="Wizard steps">
      {steps.map((name, i) => (
        <li key={name} aria-current={i === current ? 'step' : undefined} className={i < current ? 'done' : undefined}>
          <span className="wizard-step-number" aria-hidden="true">
            {i + 1}
          </span>
          {name}
          {i < current && <span className="visually-hidden"> (completed)</span>}
        </li>
      ))}
    </ol>
  );
}
