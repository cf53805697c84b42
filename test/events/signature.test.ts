/** The X-Medgen-Signature header: what a receiver recomputes, and what it must refuse. */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signBody, verifySignature } from '../../src/events/signature.js';
import { SIGNING_KEY, signingSecret } from '../../src/events/signing-key.js';
import { openStore } from '../../src/store/open-store.js';

describe('notification signature', () => {
  const body = '{"resourceType":"Bundle","type":"history"}';

  it('is t={unix},v1={hex HMAC-SHA256 of "{t}.{body}"}, as a receiver computes it with the secret', () => {
    const header = signBody('s3cret', body, 1_700_000_000);
    const expected = createHmac('sha256', 's3cret').update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(verifySignature('s3cret', header, body, 1_700_000_010)).toBe(true);
  });

  it('refuses another secret, an altered body, a stale time and a malformed header', () => {
    const header = signBody('s3cret', body, 1_700_000_000);
    expect(verifySignature('other', header, body, 1_700_000_000)).toBe(false);
    expect(verifySignature('s3cret', header, `${body} `, 1_700_000_000)).toBe(false);
    expect(verifySignature('s3cret', header, body, 1_700_000_000 + 301)).toBe(false);
    expect(verifySignature('s3cret', 'v1=abc', body, 1_700_000_000)).toBe(false);
    const tampered = `${header.slice(0, -1)}${header.endsWith('0') ? '1' : '0'}`;
    expect(verifySignature('s3cret', tampered, body, 1_700_000_000)).toBe(false);
  });

  it('is keyed by MEDGEN_SUBSCRIPTION_SECRET, else by a random key made once and kept in the store', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-signing-'));
    const store = await openStore({ dataDir, mongodbDb: 'unused' });
    try {
      expect(await signingSecret(store, 'configured')).toBe('configured');
      expect(await store.getSystem(SIGNING_KEY)).toBeNull();
      const made = await signingSecret(store, undefined);
      expect(made).toMatch(/^[0-9a-f]{64}$/);
      expect(await signingSecret(store, undefined)).toBe(made);
      expect(await store.getSystem(SIGNING_KEY)).toMatchObject({ key: made });
    } finally {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
