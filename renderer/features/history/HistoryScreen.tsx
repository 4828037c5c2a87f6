export function HistoryScreen() {
  return (
    <section aria-labelledby="screen-title">
      <div className="screen-header">
        <h1 id="screen-title">History</h1>
      </div>
    </section>
  );
}
