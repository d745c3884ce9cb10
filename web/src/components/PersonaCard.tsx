// The seeded customer the demo is shown with.
import type { Persona } from "../protocol";
import { Icon } from "../icons";

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join("");
}

export function PersonaCard({ persona }: { persona: Persona }) {
  return (
    <aside class="persona card-soft" data-testid="persona-card" aria-label="Customer">
      <div class="persona-head">
        <span class="avatar" aria-hidden="true">
          {initials(persona.name) || <Icon name="user" size={20} />}
        </span>
        <div>
          <p class="persona-name">{persona.name}</p>
          <p class="persona-meta">
            {persona.city}
            {persona.member_since ? ` · Member since ${persona.member_since}` : ""}
          </p>
        </div>
      </div>
      <dl class="persona-summary">
        {(persona.summary ?? []).map((m, i) => (
          <div key={`${m.label}-${i}`} class="persona-row" data-testid="persona-metric">
            <dt>{m.label}</dt>
            <dd>
              {m.value}
              {m.unit ? ` ${m.unit}` : ""}
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
