import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startServer, type TestServer } from '../helpers.js';
import { clientEvents, dashboardClientEvents, dashboardServerEvents, serverEvents } from '../../src/realtime/catalogue.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => srv?.close());

describe('GET /asyncapi.json', () => {
  it('is an AsyncAPI 3.0.0 document with a channel and an operation per event, schemas inline', async () => {
    const r = await call(srv.url, 'GET', '/asyncapi.json');
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const [prefix, client, server] of [
      ['', clientEvents, serverEvents],
      ['dashboard:', dashboardClientEvents, dashboardServerEvents],
    ] as const) {
      for (const name of Object.keys(client)) {
        const channel = doc.channels[`${prefix}${name}`];
        expect(channel, name).toMatchObject({ address: name });
        expect(channel.messages.request.payload).toEqual(JSON.parse(JSON.stringify((client as Record<string, { request: unknown }>)[name]!.request)));
        expect(channel.messages.ack.payload.anyOf).toHaveLength(2);
        const op = doc.operations[`${prefix}${name}.receive`];
        expect(op, name).toMatchObject({ action: 'receive', channel: { $ref: `#/channels/${prefix}${name}` } });
        expect(op.reply.messages[0].$ref).toBe(`#/channels/${prefix}${name}/messages/ack`);
      }
      for (const name of Object.keys(server)) {
        const channel = doc.channels[`${prefix}${name}`];
        expect(channel.messages.event.payload, name).toEqual(JSON.parse(JSON.stringify((server as Record<string, unknown>)[name])));
        expect(doc.operations[`${prefix}${name}.send`], name).toMatchObject({
          action: 'send',
          messages: [{ $ref: `#/channels/${prefix}${name}/messages/event` }],
        });
      }
    }
    // The schemas are inline JSON Schema (no reference left to resolve but the document's own).
    expect(doc.channels['room.join'].messages.request.payload).toMatchObject({ type: 'object', properties: { roomId: expect.any(Object) } });
    expect(JSON.stringify(doc)).not.toMatch(/"\$ref":"(?!#\/channels\/)/);
  });
});
