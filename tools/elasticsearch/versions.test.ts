// Which distribution each Elasticsearch version comes from, and what is refused, without starting anything.
import { describe, expect, it } from 'vitest';
import { cachedZipPath, DEFAULT_VERSION, LEGACY_VERSIONS, versionProfile } from './index.mjs';

describe('the launcher version profiles', () => {
  it('keeps the 8.x integ-test zip and its cluster name for the default version', () => {
    const profile = versionProfile(DEFAULT_VERSION);
    expect(profile.legacy).toBe(false);
    expect(cachedZipPath(DEFAULT_VERSION)).toMatch(
      /org\/elasticsearch\/distribution\/integ-test-zip\/elasticsearch\/8\.\d+\.\d+\/elasticsearch-8\.\d+\.\d+\.zip$/,
    );
    expect(profile.defaultClusterName('dev')).toBe('a4c-dev');
  });

  it('takes each legacy version from its Maven Central artifact, with A4C cluster name escluster', () => {
    const artifacts: Record<string, string> = {
      '1.7.6': 'org/elasticsearch/elasticsearch/1.7.6/elasticsearch-1.7.6.zip',
      '2.4.6': 'org/elasticsearch/distribution/zip/elasticsearch/2.4.6/elasticsearch-2.4.6.zip',
      '5.6.16': 'org/elasticsearch/distribution/zip/elasticsearch/5.6.16/elasticsearch-5.6.16.zip',
      '6.8.23': 'org/elasticsearch/distribution/zip/elasticsearch-oss/6.8.23/elasticsearch-oss-6.8.23.zip',
      '7.17.29': 'org/elasticsearch/distribution/integ-test-zip/elasticsearch/7.17.29/elasticsearch-7.17.29.zip',
    };
    expect(Object.keys(artifacts)).toEqual(LEGACY_VERSIONS);
    for (const version of LEGACY_VERSIONS) expect(cachedZipPath(version).endsWith(`/${artifacts[version]}`), version).toBe(true);
    for (const version of LEGACY_VERSIONS) expect(versionProfile(version).defaultClusterName('dev')).toBe('escluster');
    // 1.x needs its sources jar: JvmInfo is recompiled from it for Java 17.
    expect(versionProfile('1.7.6').extras.map((extra) => extra.classifier)).toEqual(['sources']);
  });

  it('refuses versions it cannot run, saying which it can', () => {
    expect(() => versionProfile('3.0.0')).toThrow(/not supported by the launcher: use 8\.x or one of 1\.7\.6/);
    expect(() => versionProfile('latest')).toThrow(/not an Elasticsearch version/);
  });
});
