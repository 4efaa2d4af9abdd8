// What reaches the kernel from a socket: for benchmarks that count a connection's writes
// (join: the api's round trips to Redis) and the test of the command connection's coalescing.
import type { Writable } from 'node:stream';

/**
 * Calls `onWrite` with the first chunk each time `socket` hands data to the kernel: a write of
 * one chunk (`_write`) or of all that a corked socket held (`_writev`, one `writev`), not each
 * `write()` call (infra/redis.ts coalesceWrites corks the command connections).
 */
export function onSocketWrite(socket: Writable, onWrite: (firstChunk: unknown) => void): void {
  const one = socket._write.bind(socket);
  const many = socket._writev?.bind(socket);
  socket._write = (chunk, encoding, callback) => {
    onWrite(chunk);
    one(chunk, encoding, callback);
  };
  if (many)
    socket._writev = (chunks, callback) => {
      onWrite(chunks[0]?.chunk);
      many(chunks, callback);
    };
}
