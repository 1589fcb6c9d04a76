'use strict';
// `require('a4c-admin')`: a4c-admin is an ES module. Node 20.19+ and 22.12+ can require an ES
// module, so the caller gets the same API (the same module instance, the same error class) as
// `import` gives; an older Node cannot, and the caller gets one line saying what to do instead.
try {
  module.exports = require('./dist/index.js');
} catch (error) {
  if (error && error.code === 'ERR_REQUIRE_ESM') {
    throw new Error(
      "a4c-admin is an ES module and this Node cannot require() one (Node 20.19+ and 22.12+ can): use `const { backup } = await import('a4c-admin')`, or `import { backup } from 'a4c-admin'` in an ES module.",
    );
  }
  throw error;
}
