/**
 * Corrections to Polaris' own Swedish strings, given to its AppProvider ahead of `locales/sv.json` (the first
 * dictionary wins). Polaris 13.9's Swedish names the attention tone "Mottagare" (recipient): a screen reader read
 * "Mottagare Gör nu" before every step still to do.
 */
export const polarisSwedishFixes = {
  Polaris: { Badge: { TONE_LABELS: { attention: 'Observera' } } },
} as const;
