/** MEDGEN_SUBSCRIPTION_ENDPOINTS: which rest-hook endpoints a subscription may name, by default and configured. */
import { loadConfig } from '../../src/config.js';
import { endpointRefusal } from '../../src/events/endpoint-rules.js';

describe('subscription endpoint rules', () => {
  it('by default allows any https URL and http only to loopback', () => {
    for (const ok of ['https://hooks.example.org/fhir', 'https://10.0.0.1/x', 'http://localhost:8080/hook', 'http://127.0.0.1/', 'http://127.12.0.3:9/a', 'http://[::1]:3000/']) {
      expect({ ok, refusal: endpointRefusal(ok, []) }).toEqual({ ok, refusal: null });
    }
    for (const bad of ['http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data', 'http://localhost.evil.net/', 'http://example.org/', 'ftp://localhost/', 'file:///etc/passwd', 'not a url', 'https://user:pw@hooks.example.org/']) {
      expect({ bad, refused: endpointRefusal(bad, []) !== null }).toEqual({ bad, refused: true });
    }
    expect(endpointRefusal('http://10.0.0.1/', [])).toMatch(/MEDGEN_SUBSCRIPTION_ENDPOINTS/);
  });

  it('with prefixes allows only URLs under one of them, compared as URLs rather than text', () => {
    const prefixes = ['https://hooks.example.org', 'http://10.1.2.3:8080/fhir-hooks/'];
    expect(endpointRefusal('https://hooks.example.org/a/b', prefixes)).toBeNull();
    expect(endpointRefusal('http://10.1.2.3:8080/fhir-hooks/x', prefixes)).toBeNull();
    for (const bad of ['https://hooks.example.org.evil.net/', 'https://hooks.example.org@evil.net/', 'http://hooks.example.org/', 'http://10.1.2.3:8080/other', 'http://10.1.2.3/fhir-hooks/x', 'https://localhost/']) {
      expect({ bad, refused: endpointRefusal(bad, prefixes) !== null }).toEqual({ bad, refused: true });
    }
    expect(endpointRefusal('https://other.example.org/', prefixes)).toMatch(/MEDGEN_SUBSCRIPTION_ENDPOINTS/);
  });

  it('configuration: prefixes, the horizon as a duration (24 h by default) and the secret', () => {
    const config = loadConfig({ MEDGEN_SUBSCRIPTION_ENDPOINTS: 'https://a.example/, http://127.0.0.1:9000/hooks', MEDGEN_SUBSCRIPTION_HORIZON: '90m', MEDGEN_SUBSCRIPTION_SECRET: 'k' });
    expect(config.subscriptionEndpoints).toEqual(['https://a.example/', 'http://127.0.0.1:9000/hooks']);
    expect(config.subscriptionHorizonMs).toBe(90 * 60_000);
    expect(config.subscriptionSecret).toBe('k');
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({ subscriptionEndpoints: [], subscriptionHorizonMs: 24 * 3_600_000, subscriptionSecret: undefined });
    expect(loadConfig({ MEDGEN_SUBSCRIPTION_HORIZON: '1500' }).subscriptionHorizonMs).toBe(1500);
    expect(() => loadConfig({ MEDGEN_SUBSCRIPTION_ENDPOINTS: 'hooks.example.org' })).toThrow(/MEDGEN_SUBSCRIPTION_ENDPOINTS/);
    expect(() => loadConfig({ MEDGEN_SUBSCRIPTION_HORIZON: 'a day' })).toThrow(/MEDGEN_SUBSCRIPTION_HORIZON/);
  });
});
