// The secured cluster's start that timed out in its beforeAll: the tests never ran.
import { beforeAll, expect, it } from 'vitest';

beforeAll(() => {
  throw new Error('the node set did not start');
});

it('would use the node set', () => {
  expect(true).toBe(true);
});

it('would use it again', () => {
  expect(true).toBe(true);
});
