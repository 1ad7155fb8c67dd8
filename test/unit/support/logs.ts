import { vi } from 'vitest';
import { logger } from '../../../src/lib/logger';

export type LogLine = Record<string, unknown>;

/**
 * Every line the structured logger prints from now until `stop()`, parsed
 * (the logger is SILENT in unit tests otherwise: test/unit/setup-env.ts). The
 * lines are caught where Powertools writes them, so they are what CloudWatch
 * would get: the Lambda context, the keys and the message, as JSON.
 */
export const captureLogLines = () => {
  const lines: LogLine[] = [];
  const level = logger.getLevelName();
  const out = (logger as unknown as { console: Record<'trace' | 'debug' | 'info' | 'warn' | 'error', (line: string) => void> }).console;
  const spies = (['trace', 'debug', 'info', 'warn', 'error'] as const).map((method) =>
    vi.spyOn(out, method).mockImplementation((line: string) => {
      lines.push(JSON.parse(line) as LogLine);
    }),
  );
  // Each invocation's injectLambdaContext puts the level back to the configured one (SILENT here)
  // while it decides on debug sampling, which these tests do not use: keep the level they set.
  const sampling = vi.spyOn(logger, 'refreshSampleRateCalculation').mockImplementation(() => {});
  logger.setLogLevel('DEBUG');
  return {
    lines,
    stop: () => {
      logger.setLogLevel(level);
      for (const spy of [...spies, sampling]) spy.mockRestore();
    },
  };
};
