// The bottom navigation tabs, with SVG icons that follow the mode.
import type { Tab } from "../protocol";
import { Icon } from "../icons";

export function Tabs({ tabs, active, onSelect }: { tabs: Tab[]; active: string | null; onSelect: (t: Tab) => void }) {
  if (tabs.length === 0) return null;
  return (
    <nav class="tabs" aria-label="Sections">
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          class={`tab ${t.id === active ? "is-active" : ""}`}
          data-testid="tab"
          data-tab-id={t.id}
          aria-current={t.id === active ? "page" : undefined}
          onClick={() => onSelect(t)}
        >
          <Icon name={t.icon} size={22} />
          <span>{t.label}</span>
        </button>
      ))}
    </nav>
  );
}
