import { describe, expect, it } from 'vitest';
import { isRecord, resourcesOfType } from './cfn-template';
import { PACKAGED_STAGES, readPackagedTemplate } from './packaged-templates';

/** What a team needs to follow a request on a deployed stage: a known log level, and the correlation id readable by the web app. */
describe.each(PACKAGED_STAGES)('logs a team can follow (%s)', (stage) => {
  const template = readPackagedTemplate(stage);

  it("sets every function's log level from the stage's logLevel: INFO", () => {
    const levels = resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => {
      const variables = isRecord(fn.Environment) && isRecord(fn.Environment.Variables) ? fn.Environment.Variables : {};
      return { id, level: variables.POWERTOOLS_LOG_LEVEL };
    });

    expect(levels.length).toBeGreaterThan(0);
    for (const { id, level } of levels) expect({ id, level }).toEqual({ id, level: 'INFO' });
  });

  it('lets a browser script read the x-correlation-id of every response', () => {
    const apis = resourcesOfType(template, 'AWS::ApiGatewayV2::Api');

    expect(apis).toHaveLength(1);
    expect(apis[0]?.[1].CorsConfiguration).toMatchObject({
      ExposeHeaders: expect.arrayContaining(['x-correlation-id', 'www-authenticate']),
    });
  });
});
