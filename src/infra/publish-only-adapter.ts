// The workers' Socket.IO adapter beside the streams adapter of the api nodes: it publishes
// exactly what @socket.io/redis-streams-adapter 0.3 publishes, and reads no stream.
//
// Why: a worker holds no client sockets, yet the streams adapter made it read and decode
// every entry of the stream (every room broadcast, every membership change of every app) —
// about 0.3 ms of worker CPU and one more XREAD per connect + join, for nothing. What a
// worker does need still works: its broadcasts, socketsJoin/Leave and disconnectSockets go
// into the stream as entries the api nodes' adapters read (same fields, same order, same
// replay for connection state recovery); server-side emits (the dashboard watch leases)
// and fetchSockets travel on the same pub/sub channels as the library's, answered on the
// worker's private channel; serverCount counts the subscribers of the public channel.
//
// Tied to the library's wire format (0.3.x): test/integration/publish-only-adapter.test.ts
// checks it against the real adapter, so an upgrade that changes it fails there.
import { decode, encode } from '@msgpack/msgpack';
import { isCluster, type RedisClient } from './redis.js';
import type { Namespace } from 'socket.io';
import { ClusterAdapter, MessageType, type ClusterMessage, type ClusterResponse, type Offset } from 'socket.io-adapter';

export interface StreamsWire {
  streamName: string;
  channelPrefix: string;
  maxLen: number;
  /** Sharded pub/sub (SPUBLISH/SSUBSCRIBE) for the requests, as the library's option of that name: on a Cluster. */
  useShardedPubSub: boolean;
}

/** Sent over pub/sub, not the stream (as the library does): requests that wait for answers. */
function isEphemeral(message: ClusterMessage): boolean {
  if (message.type === MessageType.BROADCAST) return message.data.requestId !== undefined;
  return message.type === MessageType.SERVER_SIDE_EMIT || message.type === MessageType.FETCH_SOCKETS;
}

class PublishOnlyStreamsAdapter extends ClusterAdapter {
  readonly #redis: RedisClient;
  readonly #wire: StreamsWire;
  readonly #publicChannel: string;

  constructor(nsp: Namespace, redis: RedisClient, sub: RedisClient, wire: StreamsWire) {
    super(nsp as never);
    this.#redis = redis;
    this.#wire = wire;
    this.#publicChannel = `${wire.channelPrefix}#${nsp.name}#`;
    const privateChannel = `${wire.channelPrefix}#${nsp.name}#${this.uid}#`;
    // Sharded: one SSUBSCRIBE per channel, as the library does (the two hash to different slots).
    if (wire.useShardedPubSub) for (const c of [this.#publicChannel, privateChannel]) void sub.ssubscribe(c);
    else void sub.subscribe(this.#publicChannel, privateChannel);
    sub.on(wire.useShardedPubSub ? 'smessageBuffer' : 'messageBuffer', (channel: Buffer, payload: Buffer) => {
      const name = channel.toString();
      if (name !== this.#publicChannel && name !== privateChannel) return;
      let message: ClusterMessage;
      try {
        message = decode(payload) as ClusterMessage;
      } catch {
        return; // not ours
      }
      this.onMessage(message);
    });
  }

  protected override doPublish(message: ClusterMessage): Promise<Offset> {
    if (isEphemeral(message)) return this.#publish(this.#publicChannel, Buffer.from(encode(message))).then(() => '');
    const fields: string[] = ['uid', message.uid, 'nsp', message.nsp, 'type', String(message.type)];
    if ('data' in message && message.data !== undefined) fields.push('data', JSON.stringify(message.data));
    return this.#redis.xadd(this.#wire.streamName, 'MAXLEN', '~', this.#wire.maxLen, '*', ...fields) as Promise<string>;
  }

  protected override async doPublishResponse(requesterUid: string, response: ClusterResponse): Promise<void> {
    await this.#publish(`${this.#wire.channelPrefix}#${this.nsp.name}#${requesterUid}#`, Buffer.from(encode(response)));
  }

  #publish(channel: string, payload: Buffer): Promise<unknown> {
    return this.#wire.useShardedPubSub ? this.#redis.spublish(channel, payload) : this.#redis.publish(channel, payload);
  }

  /** Subscribers of the public channel; on a Cluster summed over the nodes, as the library does. */
  override async serverCount(): Promise<number> {
    const arg = this.#wire.useShardedPubSub ? 'SHARDNUMSUB' : 'NUMSUB';
    const nodes = isCluster(this.#redis) ? this.#redis.nodes() : [this.#redis];
    const counts = await Promise.all(
      nodes.map(async (node) => Number(((await node.call('PUBSUB', arg, this.#publicChannel)) as [string, number | string])[1])),
    );
    return counts.reduce((a, b) => a + b, 0);
  }
}

/** The Socket.IO `adapter` option: `redis` publishes (the command connection: one write per turn), `sub` is a connection of its own for pub/sub. */
export function createPublishOnlyAdapter(redis: RedisClient, sub: RedisClient, wire: StreamsWire) {
  // A function, not an arrow: Socket.IO calls it with `new`.
  return function (nsp: Namespace) {
    return new PublishOnlyStreamsAdapter(nsp, redis, sub, wire);
  };
}
