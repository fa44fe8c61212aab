import { test, expect, operations } from '../fixtures/index.ts';

// The success path of every operation, shape only: Prism answers a valid request with the documented
// 200 example (`Prefer: code=200`), built from the operation's own request example. The client checks
// the request against its schema before sending and the answer against the 200 schema after: a request
// example or a 200 example that breaks its schema fails here. Prism is stateless, so the flows that need
// state skip on it; this flow is what exercises their 200 on the prism target. On the emulator and live
// targets the flows reach 200 for real.

const PATH_PARAMETER_VALUES: Record<string, string> = { provider_id: 'google', device_id: '0123456789abcdef0123456789abcdef' };

for (const operation of operations) {
  if (operation.responses['200'] === undefined) continue;
  const body = operation.requestExamples[0]?.value;
  const path = operation.pathTemplate.replace(/\{(\w+)\}/g, (_m, name: string) => PATH_PARAMETER_VALUES[name] ?? 'example');
  const params = Object.fromEntries(operation.parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, `example-${p.name}`]));

  test.describe(`${operation.method} ${operation.pathTemplate} documented success`, () => {
    test.skip(({ target }) => target.name !== 'prism', 'Prefer: code=200 is how Prism picks a documented answer; on the emulator and live targets the flows reach 200 for real');
    test.skip(operation.requestSchema !== undefined && body === undefined, 'the operation has no request example in schemas/openapi.yaml to send');

    test('answers its documented 200 example to a request built from its own example', async ({ api }) => {
      const result = await api.call(operation.method as 'GET', path, {
        headers: { prefer: 'code=200' },
        params,
        data: body,
        token: operation.security ? 'example-access-token' : undefined,
      });

      expect(result.status).toBe(200);
      expect(result.body).not.toHaveProperty('error');
    });
  });
}
