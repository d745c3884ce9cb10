// The dashboard: company header, metrics, visualization area, persona card and bottom tabs; the
// home mode shows its invitation instead.
import type { App } from "../app";
import { modes } from "../constants";
import type { State } from "../state";
import { HomeHero } from "./HomeHero";
import { Metrics } from "./Metrics";
import { PersonaCard } from "./PersonaCard";
import { Tabs } from "./Tabs";
import { Visuals } from "./Visuals";

export function Dashboard({ app, state: s, onSettings }: { app: App; state: State; onSettings: () => void }) {
  const mode = s.mode;
  if (!mode) {
    return (
      <section class="dashboard card" aria-label="Dashboard" aria-busy="true">
        <div class="dash-loading">Loading…</div>
      </section>
    );
  }
  const home = mode.id === modes.homeId;
  const metrics = s.metrics ?? mode.default_metrics ?? [];
  return (
    <section class="dashboard card" aria-label={`${mode.company_name} dashboard`}>
      <div class="dash-body">
        {home ? (
          <HomeHero mode={mode} onExample={(t) => app.sendChat(t)} disabled={s.connection !== "open"} />
        ) : (
          <header class="dash-head">
            <h1 class="company" data-testid="company-name">
              {mode.company_name}
            </h1>
            <p class="tagline">{mode.tagline}</p>
          </header>
        )}
        {!home || s.charts.length > 0 || s.visualizing ? (
          <>
            {!home ? <Metrics metrics={metrics} /> : null}
            <div class="dash-grid">
              <Visuals
                state={s}
                onDrawn={() => app.chartDrawn()}
                onRetryTab={(id) => app.selectTab(id)}
                onDismissTabFailure={() => app.dismissTabFailure()}
              />
              {!home && s.persona ? <PersonaCard persona={s.persona} /> : null}
            </div>
          </>
        ) : null}
      </div>
      <Tabs
        tabs={mode.tabs ?? []}
        active={s.activeTab}
        onSelect={(t) => (t.id === modes.settingsTab ? onSettings() : app.selectTab(t.id))}
      />
    </section>
  );
}
