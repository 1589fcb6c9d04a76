#!/usr/bin/env node
// The a4c-admin binary.
console.log('a4c-admin');
