// A file that fails while vitest collects it (an import that does not exist): no test of its
// own runs or fails.
import { it } from 'vitest';
import { missing } from './no-such-module.mjs';

it('is never collected', () => missing());
