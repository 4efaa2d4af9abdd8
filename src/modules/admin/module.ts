// The admin API (/metrics, /v1/admin/…) and bull-board at /admin/queues (admin token).
import { defineModule } from '../../infra/module.js';
import { queueBoard } from './queue-board.js';
import { adminRoutes } from './routes.js';

export const adminModule = defineModule({
  name: 'admin',
  routes: [adminRoutes, queueBoard],
});
