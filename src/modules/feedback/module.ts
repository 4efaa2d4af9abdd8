// Two-sided feedback on conversations, feeding the agents' ranking.
import { defineModule } from '../../infra/module.js';
import { registerFeedbackEvents } from './events.js';
import { feedbackRoutes } from './routes.js';
import { createFeedbackService, type FeedbackService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    feedback: FeedbackService;
  }
}

export const feedbackModule = defineModule({
  name: 'feedback',
  needs: ['presence', 'dispatch'],
  service: (core, deps) => createFeedbackService(core, deps),
  routes: [feedbackRoutes],
  events: registerFeedbackEvents,
});
