// The trial tiers and seeds of the reliability suites: shared with the packages' own trial
// tests, so they live in @a4c-admin/test-support (trial-settings.ts there).
export { baseSeed, FULL_TRIALS, seededRandom, trialCount } from '@a4c-admin/test-support';
