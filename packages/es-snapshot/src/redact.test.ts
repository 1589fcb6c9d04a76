import { describe, expect, it } from 'vitest';
import { redact, registerSecret } from './redact.js';

describe('redact', () => {
  it('removes credentials from URLs, Authorization headers and registered secrets', () => {
    registerSecret('VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==');
    const text = [
      'connect ECONNREFUSED https://elastic:hunter2@es.example:9200/_bulk',
      'authorization: Basic ZWxhc3RpYzpodW50ZXIy',
      '{"Authorization":"ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="}',
      'key VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw== in a message',
    ].join('\n');
    const redacted = redact(text);
    expect(redacted).not.toMatch(/hunter2|ZWxhc3RpYzpodW50ZXIy|VnVhQ2ZHY0JD/);
    expect(redacted).toContain('https://***@es.example:9200/_bulk');
  });
});
