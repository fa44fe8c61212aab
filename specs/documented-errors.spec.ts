import { test, expect, operations } from '../fixtures/index.ts';

// Error paths that only need the shape: Prism serves each documented error response when asked with
// `Prefer: code=<status>`. The client checks each answer against the schema of that status; this
// flow adds that the status is the one asked for and that the body names its error.
// Ranges such as 4XX cannot be asked for by code; the emulator's negative flows cover them.
// Prism serves the first example of a status: the API's own error body (a 401 may also document the
// gateway's `{code, message}`, as a second example). That every example's `error_code` means what the
// SDK's code table says is checked against the installed SDK by tests/unit/error-codes.test.ts.

const PATH_PARAMETER_VALUES: Record<string, string> = { provider_id: 'google' };

for (const operation of operations) {
  const errorStatuses = Object.keys(operation.responses).filter((status) => /^[45]\d\d$/.test(status));
  const body = operation.requestExamples[0]?.value;
  const path = operation.pathTemplate.replace(/\{(\w+)\}/g, (_m, name: string) => PATH_PARAMETER_VALUES[name] ?? 'example');
  const params = Object.fromEntries(
    operation.parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, `example-${p.name}`]),
  );

  test.describe(`${operation.method} ${operation.pathTemplate} documented errors`, () => {
    test.skip(({ target }) => target.name !== 'prism', 'Prefer: code=<status> is how Prism picks a documented answer; on the emulator and live targets the negative flows reach these statuses for real');

    for (const status of errorStatuses) {
      test(`answers ${status} in the API's error body when asked`, async ({ api }) => {
        const result = await api.call(operation.method as 'GET', path, {
          headers: { prefer: `code=${status}` },
          params,
          data: body,
          token: operation.security ? 'example-access-token' : undefined,
        });

        expect(result.status).toBe(Number(status));
        expect(result.body).toMatchObject({ error: expect.stringMatching(/^[a-z_]+$/), error_code: expect.any(Number) });
      });
    }
  });
}
