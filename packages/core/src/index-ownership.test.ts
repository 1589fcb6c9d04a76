import { describe, expect, it } from 'vitest';
import {
  hasOwnershipMark,
  isA4cConcreteIndexOf,
  ownershipMarkOf,
  toolVersionedIndexNames,
  withOwnershipMark,
  withOwnershipMarkOnEachType,
} from './index-ownership.js';

describe('index ownership', () => {
  it('lists exact versioned names only, never a look-alike', () => {
    for (const prefix of ['', 'prod-']) {
      const names = toolVersionedIndexNames(prefix);
      expect(names).toContain(`${prefix}application-v1.1.0`);
      expect(names).toContain(`${prefix}suggestionentry-v1.2.0`);
      for (const lookalike of ['user-visits', 'csar-vault', 'application-v2-archive', 'topology-vintage', 'application-v1.2.0-old']) {
        expect(names).not.toContain(`${prefix}${lookalike}`);
      }
      expect(names.every((name) => !name.includes('*'))).toBe(true);
    }
  });

  it('takes only the name itself or its tool-named versions as the concrete index of an A4C name', () => {
    expect(isA4cConcreteIndexOf('user', 'user')).toBe(true);
    expect(isA4cConcreteIndexOf('user-v1.2.0', 'user')).toBe(true);
    expect(isA4cConcreteIndexOf('user-visits', 'user')).toBe(false);
    expect(isA4cConcreteIndexOf('prod-csar-vault', 'prod-csar')).toBe(false);
    expect(isA4cConcreteIndexOf('csar-v9.9.9', 'csar')).toBe(false);
  });

  it('marks mappings as made by the tool, keeping their other _meta keys', () => {
    const marked = withOwnershipMark({ _meta: { a4c_version: '1.2.0' }, properties: { id: { type: 'keyword' } } }, { role: 'migration', version: '1.2.0' });
    expect(marked).toMatchObject({
      _meta: { a4c_version: '1.2.0', a4c_admin: { madeBy: 'a4c-admin', role: 'migration', version: '1.2.0' } },
      properties: { id: { type: 'keyword' } },
    });
    expect(hasOwnershipMark(marked)).toBe(true);
    expect(hasOwnershipMark({ _meta: { a4c_version: '1.2.0' } })).toBe(false);
    expect(hasOwnershipMark({ _meta: { a4c_admin: { madeBy: 'someone-else' } } })).toBe(false);
    expect(hasOwnershipMark(undefined)).toBe(false);
    // What the mark says (a migration across clusters rebuilds only its own step's targets).
    expect(ownershipMarkOf(marked)).toEqual({ madeBy: 'a4c-admin', role: 'migration', version: '1.2.0' });
    expect(ownershipMarkOf({ _meta: { a4c_admin: { madeBy: 'someone-else', role: 'migration', version: '1.2.0' } } })).toBeUndefined();
  });

  it('reads the mark of a multi-type index (ES 1.x) only when every type carries the same one', () => {
    const byType = { indexednodetype: { properties: { id: { type: 'string' } } }, indexeddatatype: { properties: {} } };
    const marked = withOwnershipMarkOnEachType(byType, { role: 'migration', version: '1.2.0' });
    expect(ownershipMarkOf(marked)).toEqual({ madeBy: 'a4c-admin', role: 'migration', version: '1.2.0' });
    expect(hasOwnershipMark({ ...marked, _default_: { properties: {} } })).toBe(true);
    // A type someone else added to the index, or a different mark on one type: not only the tool's.
    expect(hasOwnershipMark({ ...marked, theirs: { properties: {} } })).toBe(false);
    expect(hasOwnershipMark({ ...marked, indexeddatatype: withOwnershipMark({}, { role: 'adoption', version: '1.1.0' }) })).toBe(false);
    expect(hasOwnershipMark(byType)).toBe(false);
    // A typeless mapping without a mark is not read as types.
    expect(hasOwnershipMark({ properties: { a: { _meta: {} } }, dynamic: 'strict' })).toBe(false);
  });
});
