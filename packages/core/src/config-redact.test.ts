import { parseConfig, redactConfig, redactSecrets, secretsOfConfig } from '@a4c-admin/core';
import { registerSecret, secretsInEnvironment, secretsInText } from '@a4c-admin/core/internal';
import { describe, expect, it } from 'vitest';

describe('secrets found for the output layer', () => {
  it('hides a URL password that holds "/", ":" or "@", known or not', () => {
    for (const password of ['s3c/ret:x', 'p@ss@word', 'plain-Secret']) {
      const text = `must be an http:// URL (got "https://elastic:${password}@127.0.0.1:9200")`;
      const redacted = redactSecrets(text, []);
      expect(redacted).not.toContain(password);
      expect(redacted).toContain('https://elastic:***@127.0.0.1:9200');
    }
  });

  it('finds passwords and API keys in raw text that is not a valid configuration', () => {
    const text =
      'elasticsearch:\n  addresses: ["http://bob:Hunter22/x@es:9200"]\n  auth: { password: "pw with space", api_key: abcdEFGH== }\n  "password": \'quoted1\'\n';
    const secrets = secretsInText(text);
    for (const secret of ['Hunter22/x', 'pw with space', 'abcdEFGH==', 'quoted1', Buffer.from('bob:Hunter22/x').toString('base64')]) {
      expect(secrets).toContain(secret);
    }
  });

  it('finds the secrets of the environment, their base64 and header forms', () => {
    const secrets = secretsInEnvironment({
      A4C_ADMIN_ES_ADDRESSES: 'http://u:envS3cret@es1:9200,http://es2:9200',
      A4C_ADMIN_ES_USERNAME: 'admin',
      A4C_ADMIN_ES_PASSWORD: 'p4ssw0rd',
      HOME: '/root',
    });
    expect(secrets).toEqual(expect.arrayContaining(['envS3cret', 'p4ssw0rd', Buffer.from('admin:p4ssw0rd').toString('base64')]));
    expect(secrets).not.toContain('/root');
  });

  it('lists every form of a loaded configuration\u2019s secrets', () => {
    const config = parseConfig({
      elasticsearch: { addresses: ['http://elastic:urlPass1@es:9200'], auth: { api_key: 'a2V5OnNlY3JldA==' } },
      backup: { files_dir: '/b' },
      alien4cloud: { dir: '/d', url: 'http://admin:a4cPass2@a4c:8088' },
    });
    const secrets = secretsOfConfig(config);
    expect(secrets).toEqual(expect.arrayContaining(['urlPass1', 'a4cPass2', 'a2V5OnNlY3JldA==', Buffer.from('elastic:urlPass1').toString('base64')]));
  });

  it('covers the target cluster of a migration too: its password, API key and URL passwords, redacted in the shown config', () => {
    const config = parseConfig({
      elasticsearch: { addresses: ['http://es1:9200'] },
      target: { addresses: ['https://ops:tgtUrlPass@es8:9200'], auth: { username: 'ops', password: 'tgtPass99' } },
      backup: { files_dir: '/b' },
      alien4cloud: { dir: '/d' },
    });
    expect(secretsOfConfig(config)).toEqual(expect.arrayContaining(['tgtUrlPass', 'tgtPass99', Buffer.from('ops:tgtPass99').toString('base64')]));
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain('tgtPass99');
    expect(shown).not.toContain('tgtUrlPass');
    expect(secretsInEnvironment({ A4C_ADMIN_TARGET_ES_USERNAME: 'ops', A4C_ADMIN_TARGET_ES_PASSWORD: 'envTgt55' })).toEqual(
      expect.arrayContaining(['envTgt55', Buffer.from('ops:envTgt55').toString('base64')]),
    );
  });
});

// Was es-snapshot's redact test: es-snapshot now wraps the client's errors with core's redactSecrets.
describe('redactSecrets on what the Elasticsearch client says', () => {
  it('removes credentials from URLs, Authorization headers and registered secrets, and keeps the user name', () => {
    registerSecret('VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==');
    const text = [
      'connect ECONNREFUSED https://elastic:hunter2@es.example:9200/_bulk',
      'authorization: Basic ZWxhc3RpYzpodW50ZXIy',
      '{"Authorization":"ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="}',
      'key VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw== in a message',
      'sent with Bearer abcDEF123456 and Basic dXNlcjpwYXNzd29yZA==',
    ].join('\n');
    const redacted = redactSecrets(text);
    expect(redacted).not.toMatch(/hunter2|ZWxhc3RpYzpodW50ZXIy|VnVhQ2ZHY0JD|abcDEF123456|dXNlcjpwYXNzd29yZA/);
    // The user name says which account was used: useful for a diagnosis, and not a secret.
    expect(redacted).toContain('https://elastic:***@es.example:9200/_bulk');
    expect(redacted).toContain('authorization: Basic ***');
    expect(redacted).toContain('"Authorization":"ApiKey ***"');
  });

  it('leaves prose about authentication schemes alone', () => {
    expect(redactSecrets('Basic authentication failed; use a Bearer token instead')).toBe('Basic authentication failed; use a Bearer token instead');
  });
});
