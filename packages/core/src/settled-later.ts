// A promise settled from outside: a creation or a load that others wait for, resolved or
// rejected by whoever runs it.

export interface SettledLater {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A promise settled from outside, and never reported as unhandled (someone may never wait for it). */
export function settledLater(): SettledLater {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
