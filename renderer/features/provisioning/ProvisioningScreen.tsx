export function ProvisioningScreen() {
  return (
    <section aria-labelledby="screen-title">
      <div className="screen-header">
        <h1 id="screen-title">Provisioning</h1>
      </div>
    </section>
  );
}
