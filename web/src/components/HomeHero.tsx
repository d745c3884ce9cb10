// The home mode's own look: the brand, the invitation and example commands to click.
import type { Mode } from "../protocol";
import { examples } from "../constants";
import { Icon } from "../icons";

export function HomeHero({ mode, onExample, disabled }: { mode: Mode; onExample: (text: string) => void; disabled: boolean }) {
  return (
    <div class="hero">
      <span class="hero-mark" aria-hidden="true">
        <Icon name="sparkle" size={36} />
      </span>
      <h1 class="hero-title" data-testid="company-name">
        {mode.company_name}
      </h1>
      <p class="hero-tagline">{mode.tagline || "One dashboard. Any industry. On command."}</p>
      <p class="hero-invite">
        Say the magic words — <strong>“Presto-Change-O, you're a …”</strong> — and this dashboard becomes that business: its
        name, colours, tabs, metrics and a customer to demo with.
      </p>
      <ul class="hero-examples" aria-label="Try one">
        {examples.map((e) => (
          <li key={e}>
            <button type="button" class="example" onClick={() => onExample(e)} disabled={disabled} data-testid="example-command">
              <Icon name="sparkle" size={16} />
              <span>{e}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
