// The whole page: top bar, chat panel on the left, dashboard on the right, spinner overlay.
import { useState } from "preact/hooks";
import type { App } from "../app";
import { useStore } from "../store";
import { ChatPanel } from "./ChatPanel";
import { Dashboard } from "./Dashboard";
import { Settings } from "./Settings";
import { Spinner } from "./Spinner";
import { TopBar } from "./TopBar";

export function Page({ app }: { app: App }) {
  const s = useStore(app.store);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const bg = s.mode?.background_image;
  return (
    <div class={`page ${s.mode?.id === "presto" ? "is-home" : ""}`} data-mode={s.mode?.id ?? ""}>
      {bg ? <div class="page-bg" style={{ backgroundImage: `url("${bg}")` }} aria-hidden="true" /> : null}
      <TopBar state={s} onSettings={() => setSettingsOpen(true)} />
      <main class="layout">
        <ChatPanel app={app} state={s} />
        <Dashboard app={app} state={s} onSettings={() => setSettingsOpen(true)} />
      </main>
      {s.generating !== null ? <Spinner industry={s.generating} /> : null}
      <Settings app={app} open={settingsOpen} currentMode={s.mode?.id ?? ""} sessionId={s.sessionId} onClose={() => setSettingsOpen(false)} />
    </div>
  );
}
