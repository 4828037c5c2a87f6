export function DevicesScreen() {
  return (
    <section aria-labelledby="screen-title">
      <div className="screen-header">
        <h1 id="screen-title">Devices</h1>
      </div>
    </section>
  );
}
