/**
 * One contract for the suite and the emulator: the emulator refuses requests by checking them
 * against the same registered schemas the suite checks with (`checkRequest`), so a change to a
 * request schema reaches both, with no rule written twice.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { checkRequest, operationById, schemaEntry } from '../../contract/index.ts';
import { replaceSchema } from '../../contract/registry.ts';
import { createEmulator } from '../../mock/emulator/app.ts';
import { EmulatorClient } from './emulator-helpers.ts';

const signUp = operationById('signUp');
const file = 'signup-request.schema.json';
const original = schemaEntry(file).schema;

describe('a request schema is the one source of the request rules', () => {
  after(() => replaceSchema(original));

  it('a tighter username rule in the schema is enforced by the suite\'s check and by the emulator alike', async () => {
    const api = new EmulatorClient(createEmulator({ envId: 'single-source' }));
    const phone_number = api.nextPhone();
    const body = (verification_token: string) => ({ phone_number, verification_token, username: 'abcdef', password: 'Str0ng!Passw0rd' });

    // Before: the username is fine for both.
    assert.deepEqual(checkRequest(signUp, { method: 'POST', url: '/auth/v1/signup', headers: {}, body: body('t') }), []);

    const properties = original.properties as Record<string, Record<string, unknown>>;
    replaceSchema({ ...original, properties: { ...properties, username: { ...properties.username, maxLength: 5 } } });

    const [departure, ...rest] = checkRequest(signUp, { method: 'POST', url: '/auth/v1/signup', headers: {}, body: body('t') });
    assert.equal(rest.length, 0);
    assert.deepEqual([departure?.pointer, departure?.rule], ['/username', 'maxLength']);

    const refused = await api.call('POST', '/auth/v1/signup', { json: body(await api.verificationToken({ phone_number })) });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.error, 'invalid_argument');
    assert.match(refused.body.error_description, /^username: maxLength \(must be string of 1\.\.5 characters/);
  });

  it('the emulator names the field and the rule of a request the schema refuses', async () => {
    replaceSchema(original);
    const api = new EmulatorClient(createEmulator({ envId: 'single-source' }));
    const refused = await api.call('POST', '/auth/v1/verification', { json: { phone_number: '+86 23800000000', target: 'ANY' } });
    assert.equal(refused.status, 400);
    assert.match(refused.body.error_description, /^phone_number: pattern/);
  });
});
