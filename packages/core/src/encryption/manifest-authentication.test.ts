import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EncryptionKey } from './encryption-key.js';
import { assertManifestAuthentic, manifestTag } from './manifest-authentication.js';

const key = EncryptionKey.fromBytes(randomBytes(32));
const manifest = Buffer.from(JSON.stringify({ name: 'nightly-1', files: [{ path: 'csar/a.zip', sha256: 'ab'.repeat(32) }] }));
const tag = manifestTag(key, 'nightly-1', manifest);

describe('manifest authentication', () => {
  it('accepts the manifest it tagged', () => {
    expect(tag).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(() => assertManifestAuthentic(key, 'nightly-1', manifest, tag)).not.toThrow();
  });

  it('detects a changed byte, another backup name, another key, a missing or mangled tag', () => {
    const altered = Buffer.from(manifest);
    altered[altered.length - 5]! ^= 1;
    const refusals = [
      () => assertManifestAuthentic(key, 'nightly-1', altered, tag),
      () => assertManifestAuthentic(key, 'nightly-2', manifest, tag),
      () => assertManifestAuthentic(EncryptionKey.fromBytes(randomBytes(32)), 'nightly-1', manifest, tag),
      () => assertManifestAuthentic(key, 'nightly-1', manifest, undefined),
      () => assertManifestAuthentic(key, 'nightly-1', manifest, tag.slice(0, -2)),
      () => assertManifestAuthentic(key, 'nightly-1', manifest, tag.replace('hmac-sha256:', '')),
    ];
    for (const refuse of refusals) expect(refuse).toThrow(expect.objectContaining({ code: 'MANIFEST_NOT_AUTHENTIC' }));
  });
});
