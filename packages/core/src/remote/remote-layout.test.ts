import { describe, expect, it } from 'vitest';
import { blobKey, blobKeyId, blobSha256 } from './remote-layout.js';
import { blobKeyIdOf, type RemoteManifest, remoteFilesOf } from './remote-manifest.js';

const SHA = 'ab'.repeat(32);
const KEY_A = '0123456789abcdef0123456789abcdef';
const KEY_B = 'fedcba9876543210fedcba9876543210';

describe('blob names', () => {
  it('name the same content sealed with two keys as two objects, and the plain content as a third', () => {
    const names = [KEY_A, KEY_B, undefined].flatMap((keyId) => [blobKey({ sha256: SHA, keyId }), blobKey({ sha256: SHA, keyId, packed: 'gzip' })]);
    expect(new Set(names).size).toBe(6);
    expect(blobKey({ sha256: SHA, keyId: KEY_A, packed: 'gzip' })).toBe(`blobs/ab/${SHA}.k-${KEY_A}.gz`);
    expect(blobKey({ sha256: SHA, keyId: undefined })).toBe(`blobs/ab/${SHA}`);
  });

  it('read back the content hash and the key id of every name they give, and nothing from other keys', () => {
    for (const keyId of [KEY_A, undefined]) {
      for (const packed of ['gzip', undefined] as const) {
        const key = blobKey({ sha256: SHA, keyId, packed });
        expect(blobSha256(key)).toBe(SHA);
        expect(blobKeyId(key)).toBe(keyId);
      }
    }
    for (const other of ['backups/x/manifest.json', `blobs/ab/${SHA}.k-short`, `blobs/cd/${SHA}x`, `blobs/ab/${SHA}.gz.k-${KEY_A}`]) {
      expect(blobSha256(other), other).toBeUndefined();
    }
  });

  it("take the key id from a layout 3 manifest's codec only: older layouts named objects by content alone", () => {
    const file = { path: 'files/a.txt', size: 1, mode: 0o600, sha256: SHA };
    const manifest = (formatVersion: 1 | 2 | 3, codec: string): RemoteManifest => ({
      formatVersion,
      codec,
      name: 'n',
      pushedAt: '2026-12-01T00:00:00Z',
      backup: { format: 'export', startedAt: '2026-12-01T00:00:00Z', endedAt: '2026-12-01T00:00:00Z', manifestSha256: SHA, documents: 0 },
      files: [file],
      remoteManifestSha256: SHA,
    });
    expect(blobKeyIdOf(manifest(3, `aes-256-gcm:${KEY_A}`))).toBe(KEY_A);
    expect(blobKeyIdOf(manifest(2, `aes-256-gcm:${KEY_A}`))).toBeUndefined();
    expect(blobKeyIdOf(manifest(3, 'identity'))).toBeUndefined();
    expect(remoteFilesOf(manifest(3, `aes-256-gcm:${KEY_B}`)).map(blobKey)).toEqual([`blobs/ab/${SHA}.k-${KEY_B}`]);
  });
});
