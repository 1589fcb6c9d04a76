import { afterEach, describe, expect, it } from 'vitest';
import { javaOptionsFor, withJavaOptions } from './java-options.mjs';

describe('extra JVM options of the nodes a set starts', () => {
  const saved = process.env.A4C_ES_JAVA_OPTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.A4C_ES_JAVA_OPTS;
    else process.env.A4C_ES_JAVA_OPTS = saved;
  });

  it('appends them to the heap options every start script passes to the JVM', () => {
    expect(withJavaOptions(['ES_JAVA_HOME=/j', 'ES_JAVA_OPTS=-Xms512m -Xmx512m'], ['-XX:TieredStopAtLevel=1'])).toEqual([
      'ES_JAVA_HOME=/j',
      'ES_JAVA_OPTS=-Xms512m -Xmx512m -XX:TieredStopAtLevel=1',
    ]);
  });

  it('adds ES_JAVA_OPTS where the version sets its heap otherwise (1.x: ES_MIN_MEM / ES_MAX_MEM)', () => {
    expect(withJavaOptions(['JAVA_HOME=/j', 'ES_MIN_MEM=256m'], ['-XX:TieredStopAtLevel=1'])).toEqual([
      'JAVA_HOME=/j',
      'ES_MIN_MEM=256m',
      'ES_JAVA_OPTS=-XX:TieredStopAtLevel=1',
    ]);
    expect(withJavaOptions(['JAVA_HOME=/j'], [])).toEqual(['JAVA_HOME=/j']);
  });

  it('takes the caller’s options first, then A4C_ES_JAVA_OPTS, else none', () => {
    process.env.A4C_ES_JAVA_OPTS = ' -XX:TieredStopAtLevel=1  -Xss1m ';
    expect(javaOptionsFor(undefined)).toEqual(['-XX:TieredStopAtLevel=1', '-Xss1m']);
    expect(javaOptionsFor([])).toEqual([]);
    delete process.env.A4C_ES_JAVA_OPTS;
    expect(javaOptionsFor(undefined)).toEqual([]);
  });
});
