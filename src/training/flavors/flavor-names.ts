/**
 * The model flavors' names, in FLAVORS order: what `loom train --help` lists without loading the learners
 * (cli/main.ts). flavor-registry.ts checks at load that FLAVORS registers exactly these.
 */
export const FLAVOR_NAMES = ['gbdt', 'linear', 'baseline'] as const;
