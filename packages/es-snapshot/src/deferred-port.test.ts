import { describe, expect, it } from 'vitest';
import { deferredPort } from './deferred-port.js';

interface Port {
  get(key: string): Promise<string>;
  pages(count: number): AsyncIterable<number>;
}

describe('a port built on first use', () => {
  it('builds nothing until a method is called, then forwards calls and streams', async () => {
    let builds = 0;
    const real: Port = {
      get: async (key) => `value of ${key}`,
      async *pages(count) {
        for (let page = 0; page < count; page++) yield page;
      },
    };
    let built: Promise<Port> | undefined;
    const port = deferredPort<Port>(
      () => {
        if (!built) builds++;
        built ??= Promise.resolve(real);
        return built;
      },
      ['get'],
      ['pages'],
    );
    expect(builds).toBe(0);
    expect(await port.get('a')).toBe('value of a');
    const pages: number[] = [];
    for await (const page of port.pages(3)) pages.push(page);
    expect(pages).toEqual([0, 1, 2]);
    expect(builds).toBe(1);
  });

  it('passes the failure of the build to the caller', async () => {
    const port = deferredPort<Port>(() => Promise.reject(new Error('unreachable')), ['get'], ['pages']);
    await expect(port.get('a')).rejects.toThrow('unreachable');
    await expect(
      (async () => {
        for await (const _ of port.pages(1)) break;
      })(),
    ).rejects.toThrow('unreachable');
  });
});
