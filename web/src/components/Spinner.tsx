// The overlay shown while a mode is being made, so no text of the old mode is read as the new one.
export function Spinner({ industry }: { industry: string }) {
  return (
    <div class="spinner-overlay" data-testid="mode-spinner" role="status" aria-live="polite">
      <div class="spinner-card">
        <div class="spinner" aria-hidden="true" />
        <p class="spinner-title">Presto-Change-O!</p>
        <p class="spinner-sub">{industry ? `Becoming ${industry}…` : "Transforming the dashboard…"}</p>
      </div>
    </div>
  );
}
