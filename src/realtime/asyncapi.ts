// The socket API as an AsyncAPI 3.0 document, generated from the catalogue (served at
// GET /asyncapi.json beside the OpenAPI document at /docs/json). One channel per event name
// and namespace, addressed by the event name; one operation per direction: `receive` for an
// event the server answers (its ack is the operation's reply), `send` for one it emits.
// The schemas are inline: TypeBox schemas are JSON Schema already (JSON drops nothing but
// TypeBox's own symbol keys).
import type { TSchema } from 'typebox';
import { Ack, clientEvents, dashboardClientEvents, dashboardServerEvents, serverEvents } from './catalogue.js';
import type { ClientEventDef } from '../infra/contract.js';

type Json = Record<string, unknown>;

interface NamespaceDoc {
  /** Socket.IO namespace */
  path: string;
  /** prefix of channel and operation ids ('' for the main namespace) */
  prefix: string;
  client: Record<string, ClientEventDef>;
  server: Record<string, TSchema>;
}

const plain = (schema: TSchema): Json => JSON.parse(JSON.stringify(schema)) as Json;

export function buildAsyncApi(opts: { version: string }): Json {
  const channels: Json = {};
  const operations: Json = {};
  const namespaces: NamespaceDoc[] = [
    { path: '/', prefix: '', client: clientEvents, server: serverEvents },
    { path: '/dashboard', prefix: 'dashboard:', client: dashboardClientEvents, server: dashboardServerEvents },
  ];
  for (const ns of namespaces) {
    const names = [...new Set([...Object.keys(ns.client), ...Object.keys(ns.server)])];
    for (const name of names) {
      const id = `${ns.prefix}${name}`;
      const messages: Json = {};
      const request = ns.client[name];
      const emitted = ns.server[name];
      if (request) {
        messages.request = { name: `${name} request`, payload: plain(request.request) };
        messages.ack = { name: `${name} ack`, payload: plain(Ack(request.response)), description: 'the ack: {ok: true, data} or {ok: false, error}' };
      }
      if (emitted) messages.event = { name, payload: plain(emitted), ...(description(emitted) ?? {}) };
      channels[id] = { address: name, messages, bindings: { ws: { bindingVersion: '0.1.0' } }, description: `namespace ${ns.path}` };
      if (request)
        operations[`${id}.receive`] = {
          action: 'receive',
          channel: { $ref: `#/channels/${escape(id)}` },
          messages: [{ $ref: `#/channels/${escape(id)}/messages/request` }],
          reply: { channel: { $ref: `#/channels/${escape(id)}` }, messages: [{ $ref: `#/channels/${escape(id)}/messages/ack` }] },
        };
      if (emitted)
        operations[`${id}.send`] = {
          action: 'send',
          channel: { $ref: `#/channels/${escape(id)}` },
          messages: [{ $ref: `#/channels/${escape(id)}/messages/event` }],
        };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Switchboard socket API',
      version: opts.version,
      description:
        'Socket.IO 4 events. Connect with auth: {token} (namespace /) or auth: {appid, secret} | {adminToken, appid?} (namespace /dashboard). ' +
        'Every client event takes an ack callback answered with {ok: true, data} or {ok: false, error: {code, message}}.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
  };
}

/** A JSON pointer segment ('/' and '~' escaped; the event names have neither, the dashboard prefix neither). */
function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function description(schema: TSchema): { description: string } | undefined {
  const d = (schema as { description?: unknown }).description;
  return typeof d === 'string' ? { description: d } : undefined;
}
