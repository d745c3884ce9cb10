// Names shared by several parts of the page.
export const modes = {
  /** homeId is the neutral mode a new session starts in (modes.HomeID on the server). */
  homeId: "presto",
  /** settingsTab is the tab id that opens the settings panel instead of loading content. */
  settingsTab: "settings",
  magicWords: "Presto-Change-O",
} as const;

/** examples are the commands the home screen offers to click. */
export const examples = [
  "Presto-Change-O, you're a bank",
  "Presto-Change-O, you're an insurance company",
  "Presto-Change-O, you're a hospital",
  "Presto-Change-O, you're a pet store called Paws and Claws",
];
