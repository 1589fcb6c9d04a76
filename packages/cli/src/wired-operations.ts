// The operations this build can run. Each entry is either the library function that does
// the work or `notWired(...)`: wiring a command is replacing one line here.
import { notWired, type Operations } from './operations.js';

export const wiredOperations: Operations = {
  backup: notWired('backup'),
  restore: notWired('restore'),
  migrate: notWired('migrate'),
  verify: notWired('verify'),
  list: notWired('list'),
  remove: notWired('delete'),
  prune: notWired('prune'),
  doctor: notWired('doctor'),
  pluginsVerify: notWired('plugins verify'),
  pluginsSwap: notWired('plugins swap'),
};
