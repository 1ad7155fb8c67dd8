import { describe, expect, it } from 'vitest';
import { parseLogLevel } from '../../../src/lib/logger';

describe('parseLogLevel', () => {
  it('logs at INFO when the stage sets no level', () => {
    expect(parseLogLevel({})).toBe('INFO');
    expect(parseLogLevel({ POWERTOOLS_LOG_LEVEL: '' })).toBe('INFO');
  });

  it('reads the level in either case', () => {
    expect(parseLogLevel({ POWERTOOLS_LOG_LEVEL: 'debug' })).toBe('DEBUG');
    expect(parseLogLevel({ POWERTOOLS_LOG_LEVEL: 'WARN' })).toBe('WARN');
  });

  it('refuses a level it does not know, instead of quietly logging at INFO', () => {
    expect(() => parseLogLevel({ POWERTOOLS_LOG_LEVEL: 'DEBG' })).toThrow(/Invalid logging configuration/);
  });
});
