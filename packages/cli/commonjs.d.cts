// The types of `require('a4c-admin')` (commonjs.cjs): the same API as the ES module's.
export * from './dist/index.js';
