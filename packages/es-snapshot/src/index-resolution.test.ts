import { describe, expect, it } from 'vitest';
import { nameMatcher, parseCatListing, resolveInListing } from './index-resolution.js';

describe('resolving names from the _cat listings (servers before 7.9)', () => {
  const listing = parseCatListing('toscaelement \napplication-v1.1.0\n  application-v1.2.0  \nuser\n', 'application application-v1.2.0 \nboth a\nboth b\n');

  it('reads the text answers, closed indices included, and groups the aliases', () => {
    expect(listing.indices).toEqual(['application-v1.1.0', 'application-v1.2.0', 'toscaelement', 'user']);
    expect([...listing.aliases.entries()]).toEqual([
      ['application', ['application-v1.2.0']],
      ['both', ['a', 'b']],
    ]);
  });

  it('resolves an alias to its indices, an index to itself, a wildcard to the indices it matches, and anything else to nothing', () => {
    expect(resolveInListing(listing, 'application')).toEqual({ indices: ['application-v1.2.0'], alias: true });
    expect(resolveInListing(listing, 'user')).toEqual({ indices: ['user'], alias: false });
    expect(resolveInListing(listing, 'application-v*')).toEqual({ indices: ['application-v1.1.0', 'application-v1.2.0'], alias: false });
    expect(resolveInListing(listing, 'users')).toEqual({ indices: [], alias: false });
  });

  it('matches * only, every other character literally', () => {
    expect(nameMatcher('a.b*')('a.b-1')).toBe(true);
    expect(nameMatcher('a.b*')('axb-1')).toBe(false);
    expect(nameMatcher('x+y')('x+y')).toBe(true);
  });
});
