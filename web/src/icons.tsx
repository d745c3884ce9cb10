// Stroke icons for the tab set of internal/modes.IconNames, drawn as inline SVG (emoji and icon
// fonts do not render the same everywhere). Each entry is the inner markup of a 24×24 icon.
import type { JSX } from "preact";

type Paths = JSX.Element;

const icons: Record<string, Paths> = {
  dashboard: (
    <>
      <rect x="3" y="3" width="7" height="9" rx="1.5" />
      <rect x="14" y="3" width="7" height="5" rx="1.5" />
      <rect x="14" y="12" width="7" height="9" rx="1.5" />
      <rect x="3" y="16" width="7" height="5" rx="1.5" />
    </>
  ),
  home: (
    <>
      <path d="M3 11.5 12 4l9 7.5" />
      <path d="M5.5 9.5V20h13V9.5" />
      <path d="M10 20v-5.5h4V20" />
    </>
  ),
  wallet: (
    <>
      <path d="M4 7.5A2.5 2.5 0 0 1 6.5 5H18v3" />
      <rect x="4" y="8" width="16" height="11" rx="2" />
      <path d="M16 13.5h.01" />
    </>
  ),
  card: (
    <>
      <rect x="3" y="5.5" width="18" height="13" rx="2" />
      <path d="M3 10h18M7 15h3" />
    </>
  ),
  transfer: (
    <>
      <path d="M4 8h14l-3.5-3.5M20 16H6l3.5 3.5" />
    </>
  ),
  chart: (
    <>
      <path d="M4 4v16h16" />
      <path d="m7.5 14 3.5-4 3 3 4.5-5.5" />
    </>
  ),
  "piggy-bank": (
    <>
      <path d="M5 11.5C5 8.5 8 6.5 12 6.5c1.2 0 2.3.2 3.3.5L18 5.5v3.2c.9.7 1.6 1.6 1.9 2.8H21v3h-1.4c-.5 1-1.3 1.8-2.3 2.4V20h-2.8v-1.8a10 10 0 0 1-3.5 0V20H8.2v-2.7C6.2 16.2 5 14 5 11.5Z" />
      <path d="M3 10.5c0 1 .8 1.5 2 1.5M15.5 10.5h.01" />
    </>
  ),
  house: (
    <>
      <path d="M3 12 12 4.5 21 12" />
      <path d="M5 10.5V20h14v-9.5M16 6.5V4h2v4.2" />
      <rect x="9" y="13" width="6" height="4" rx=".5" />
    </>
  ),
  shield: (
    <>
      <path d="M12 3 5 6v5.5c0 4.4 3 7.9 7 9.5 4-1.6 7-5.1 7-9.5V6l-7-3Z" />
      <path d="m9 12 2 2 4-4" />
    </>
  ),
  car: (
    <>
      <path d="M5 16.5V12l1.8-4.5A2 2 0 0 1 8.7 6h6.6a2 2 0 0 1 1.9 1.5L19 12v4.5" />
      <path d="M4 12h16v4.5H4zM7 19v-2.5M17 19v-2.5" />
      <path d="M7.5 14.2h.01M16.5 14.2h.01" />
    </>
  ),
  heart: <path d="M12 20s-7.5-4.6-7.5-10A4.3 4.3 0 0 1 12 7.4 4.3 4.3 0 0 1 19.5 10c0 5.4-7.5 10-7.5 10Z" />,
  stethoscope: (
    <>
      <path d="M6 3.5H5v5a4 4 0 0 0 8 0v-5h-1" />
      <path d="M9 12.5V15a5 5 0 0 0 10 0v-2" />
      <circle cx="19" cy="11" r="2" />
    </>
  ),
  calendar: (
    <>
      <rect x="3.5" y="5" width="17" height="15" rx="2" />
      <path d="M3.5 10h17M8 3v4M16 3v4M8 14h2M14 14h2M8 17h2" />
    </>
  ),
  pill: (
    <>
      <rect x="2.8" y="8.5" width="18.4" height="7" rx="3.5" transform="rotate(-45 12 12)" />
      <path d="m8.8 8.8 6.4 6.4" />
    </>
  ),
  document: (
    <>
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8l-5-5Z" />
      <path d="M14 3v5h5M9 13h6M9 17h6" />
    </>
  ),
  claim: (
    <>
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8l-5-5Z" />
      <path d="M14 3v5h5M9 14.5l2 2 4-4" />
    </>
  ),
  settings: (
    <>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 2.5v2.5M12 19v2.5M4.6 4.6l1.8 1.8M17.6 17.6l1.8 1.8M2.5 12H5M19 12h2.5M4.6 19.4l1.8-1.8M17.6 6.4l1.8-1.8" />
      <circle cx="12" cy="12" r="6.5" />
    </>
  ),
  user: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4.5 20.5a7.5 7.5 0 0 1 15 0" />
    </>
  ),
  users: (
    <>
      <circle cx="9" cy="8.5" r="3.5" />
      <path d="M2.5 20a6.5 6.5 0 0 1 13 0M16 5.2a3.5 3.5 0 0 1 0 6.6M18 14.3a6.5 6.5 0 0 1 3.5 5.7" />
    </>
  ),
  cart: (
    <>
      <path d="M3 4h2.2l2.3 11h10.8l2-8H6.3" />
      <circle cx="9" cy="19.5" r="1.3" />
      <circle cx="17" cy="19.5" r="1.3" />
    </>
  ),
  package: (
    <>
      <path d="m12 3 8 4.5v9L12 21l-8-4.5v-9L12 3Z" />
      <path d="m4 7.5 8 4.5 8-4.5M12 12v9M8 5.3l8 4.5" />
    </>
  ),
  truck: (
    <>
      <path d="M3 6h11v10H3zM14 10h4l3 3v3h-7" />
      <circle cx="7" cy="18" r="1.8" />
      <circle cx="17.5" cy="18" r="1.8" />
    </>
  ),
  plane: <path d="M10.5 13.5 3 11l1.5-1.5 7.5.5 4.5-5a1.8 1.8 0 0 1 2.5 2.5l-5 4.5.5 7.5L13 21l-2.5-7.5Zm-3 2L5 18l1.5 1.5L9 17" />,
  paw: (
    <>
      <path d="M12 12c-2.8 0-5 2.6-5 5 0 1.6 1.2 2.5 2.6 2.5 1 0 1.6-.5 2.4-.5s1.4.5 2.4.5c1.4 0 2.6-.9 2.6-2.5 0-2.4-2.2-5-5-5Z" />
      <ellipse cx="5" cy="10" rx="1.6" ry="2.1" />
      <ellipse cx="9" cy="6" rx="1.6" ry="2.1" />
      <ellipse cx="15" cy="6" rx="1.6" ry="2.1" />
      <ellipse cx="19" cy="10" rx="1.6" ry="2.1" />
    </>
  ),
  store: (
    <>
      <path d="M4 9.5V20h16V9.5M3 9.5 5 4h14l2 5.5" />
      <path d="M3 9.5a3 3 0 0 0 6 0 3 3 0 0 0 6 0 3 3 0 0 0 6 0M10 20v-5h4v5" />
    </>
  ),
  star: <path d="m12 3.5 2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9L12 3.5Z" />,
  message: <path d="M4 5.5h16v11H9l-5 4v-15ZM8 10h8M8 13h5" />,
  bell: (
    <>
      <path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 1.5h-15L6 16.5Z" />
      <path d="M10 20.5a2.2 2.2 0 0 0 4 0" />
    </>
  ),
  map: (
    <>
      <path d="M3 6.5 9 4l6 2.5L21 4v13.5L15 20l-6-2.5L3 20V6.5Z" />
      <path d="M9 4v13.5M15 6.5V20" />
    </>
  ),
  wrench: <path d="M14.5 6.5a4 4 0 0 0 5 5l-9 9a2.1 2.1 0 0 1-3-3l9-9a4 4 0 0 1 5-5l-2.7 2.7.3 2.2 2.2.3" />,
  book: (
    <>
      <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 20.5v-15Z" />
      <path d="M4 20.5A2.5 2.5 0 0 0 6.5 23H20v-5M8 7h8" />
    </>
  ),
  leaf: (
    <>
      <path d="M5 19c0-8 5-14 15-14 0 10-6 15-13 15" />
      <path d="M4 21c3-5 6-8 10-10" />
    </>
  ),
  bolt: <path d="M13 2.5 5 13.5h6l-1 8 8-11h-6l1-8Z" />,
  building: (
    <>
      <path d="M5 21V4.5A1.5 1.5 0 0 1 6.5 3h7A1.5 1.5 0 0 1 15 4.5V21M15 9h3.5a1.5 1.5 0 0 1 1.5 1.5V21M3 21h18" />
      <path d="M8.5 7h3M8.5 11h3M8.5 15h3" />
    </>
  ),
  globe: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3c2.5 2.5 3.8 5.5 3.8 9s-1.3 6.5-3.8 9c-2.5-2.5-3.8-5.5-3.8-9S9.5 5.5 12 3Z" />
    </>
  ),
  clock: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3.5 2" />
    </>
  ),
};

const generic = (
  <>
    <rect x="4" y="4" width="16" height="16" rx="4" />
    <circle cx="12" cy="12" r="3" />
  </>
);

/** iconNames lists the names with a drawing of their own (the rest get the generic icon). */
export const iconNames = Object.keys(icons);

/** hasIcon reports whether name has its own drawing. */
export function hasIcon(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(icons, name);
}

// Small UI icons that are not tab icons.
const ui: Record<string, Paths> = {
  send: <path d="M4 12 20 4l-5 16-3-7-8-1Z" />,
  mic: (
    <>
      <rect x="9" y="3" width="6" height="11" rx="3" />
      <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21" />
    </>
  ),
  "mic-off": (
    <>
      <path d="M15 10V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.6 2.5M5.5 11a6.5 6.5 0 0 0 10.4 5.2M18.5 11c0 .8-.1 1.5-.4 2.2M12 17.5V21M3.5 3.5l17 17" />
    </>
  ),
  plus: <path d="M12 5v14M5 12h14" />,
  stop: <rect x="7" y="7" width="10" height="10" rx="1.5" />,
  close: <path d="M6 6l12 12M18 6 6 18" />,
  refresh: <path d="M20 11A8 8 0 0 0 6.2 6.2L4 8.5M4 4v4.5h4.5M4 13a8 8 0 0 0 13.8 4.8l2.2-2.3M20 20v-4.5h-4.5" />,
  sparkle: <path d="M12 3v4M12 17v4M3 12h4M17 12h4M6 6l2.5 2.5M15.5 15.5 18 18M18 6l-2.5 2.5M8.5 15.5 6 18" />,
  copy: (
    <>
      <rect x="8.5" y="8.5" width="11" height="11" rx="2" />
      <path d="M15.5 8.5V6a1.5 1.5 0 0 0-1.5-1.5H6A1.5 1.5 0 0 0 4.5 6v8A1.5 1.5 0 0 0 6 15.5h2.5" />
    </>
  ),
  check: <path d="m5 12.5 4.5 4.5L19 7.5" />,
};

interface IconProps {
  name: string;
  size?: number;
  class?: string;
}

/** Icon draws a tab icon by name, or a generic one for a name it does not know. */
export function Icon({ name, size = 24, class: cls }: IconProps) {
  const body = icons[name] ?? ui[name] ?? generic;
  return (
    <svg
      class={cls}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
      data-icon={hasIcon(name) || name in ui ? name : "generic"}
    >
      {body}
    </svg>
  );
}
