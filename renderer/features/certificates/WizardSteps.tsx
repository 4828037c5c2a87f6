/**
 * The step list above a wizard: done steps marked, the current one announced as the current step, and steps
 * the form does not need (`skipped`) struck through with the reason read out.
 */
export function WizardSteps({
  steps,
  current,
  skipped,
}: {
  steps: readonly string[];
  current: number;
  skipped?: { steps: readonly number[]; reason: string };
}) {
  return (
    <ol className="wizard-steps" aria-label="Wizard steps">
      {steps.map((name, i) => {
        const isSkipped = skipped?.steps.includes(i) ?? false;
        return (
          <li key={name} aria-current={i === current ? 'step' : undefined} className={isSkipped ? 'skipped' : i < current ? 'done' : undefined}>
            <span className="wizard-step-number" aria-hidden="true">
              {i + 1}
            </span>
            {name}
            {isSkipped ? (
              <span className="visually-hidden"> (not needed: {skipped!.reason})</span>
            ) : (
              i < current && <span className="visually-hidden"> (completed)</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
