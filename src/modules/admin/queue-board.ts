// bull-board at /admin/queues: every queue of the catalogue, behind the admin token.
// A browser cannot send a Bearer header, so the board also takes HTTP Basic with the
// admin token as the password (any user name): an unauthenticated request gets a Basic
// challenge and the browser asks for it. Without ADMIN_TOKEN the board is not mounted.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyRequest } from 'fastify';
import { parseAuthorization } from '../../infra/auth.js';
import type { RoutePlugin } from '../deps.js';
import { safeEqual } from '../../infra/passwords.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** Bearer <ADMIN_TOKEN>, or Basic with the admin token as the password. */
export function isAdminRequest(req: FastifyRequest, adminToken: string): boolean {
  const a = parseAuthorization(req.headers.authorization);
  if (a?.scheme === 'bearer') return safeEqual(a.token, adminToken);
  if (a?.scheme === 'basic') return safeEqual(a.pass, adminToken);
  return false;
}

export const queueBoard: RoutePlugin = async (app, { core }) => {
  const adminToken = core.config.ADMIN_TOKEN;
  if (adminToken === undefined) return;

  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: core.queues.names.map((name) => new BullMQAdapter(core.queues.get(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Switchboard queues' } },
  });

  // Encapsulated: the hook guards the board's routes only.
  await app.register(async (board) => {
    board.addHook('onRequest', async (req, reply) => {
      if (isAdminRequest(req, adminToken)) return;
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="Switchboard queues", charset="UTF-8"')
        .send({
          error: {
            code: 'ADMIN_AUTH_FAILED',
            message: 'the admin token is required: Authorization: Bearer <ADMIN_TOKEN>, or Basic with it as the password',
          },
        });
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
};
