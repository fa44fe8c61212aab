/**
 * The official SDK sends its JSON bodies without a Content-Type, so from a browser they arrive as
 * `text/plain;charset=UTF-8` (docs/api-facts.md, "Origins, headers and common parameters"). Prism refuses
 * a media type the operation does not declare (415), so every request body of schemas/openapi.yaml must
 * declare `text/plain` next to `application/json`, as JSON text whose `contentSchema` is the same body schema.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';

type Node = Record<string, unknown>;
const doc = parseYaml(readFileSync(new URL('../../schemas/openapi.yaml', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, Node>> };

describe('request bodies as the SDK sends them', () => {
  it('every request body is declared as application/json and as text/plain JSON text with the same schema', () => {
    const problems: string[] = [];
    let bodies = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const content = (operation.requestBody as Node | undefined)?.content as Record<string, Node> | undefined;
        if (!content) continue;
        bodies++;
        const label = `${method.toUpperCase()} ${path}`;
        const json = (content['application/json']?.schema as Node | undefined)?.$ref;
        const text = content['text/plain']?.schema as Node | undefined;
        if (!text) {
          problems.push(`${label}: no text/plain request content`);
          continue;
        }
        if (text.type !== 'string' || text.contentMediaType !== 'application/json') problems.push(`${label}: text/plain is not declared as JSON text`);
        if ((text.contentSchema as Node | undefined)?.$ref !== json) problems.push(`${label}: text/plain contentSchema is not ${String(json)}`);
      }
    }
    assert.ok(bodies >= 12, `found ${bodies} request bodies`);
    assert.deepEqual(problems, []);
  });
});
