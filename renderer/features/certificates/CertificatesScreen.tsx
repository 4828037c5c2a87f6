export function CertificatesScreen() {
  return (
    <section aria-labelledby="screen-title">
      <div className="screen-header">
        <h1 id="screen-title">Certificates</h1>
      </div>
    </section>
  );
}
