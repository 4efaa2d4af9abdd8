// What the Colyseus SDK clients of the benchmarks share.
import { registerSerializer } from '@colyseus/sdk';

/**
 * Thousands of SDK clients decoding every state patch saturate the load generator's core
 * (a real client decodes on its own device): they take the state bytes and skip decoding
 * them, as the raw Socket.IO clients skip what a room.member event means.
 */
export function skipColyseusStateDecoding(): void {
  registerSerializer(
    'schema',
    class SkipState {
      setState() {}
      getState() {
        return undefined;
      }
      patch() {}
      teardown() {}
      handshake() {} // without it the SDK does not step over the state's reflection in JOIN_ROOM
    },
  );
}
