// Two-sided feedback on conversations, feeding the agents' ranking.
import { defineModule } from '../../infra/module.js';
import { feedbackContract } from './contract.js';
import { FEEDBACK_ERRORS } from './errors.js';
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
  errors: FEEDBACK_ERRORS,
  needs: ['presence', 'dispatch'],
  service: (core, deps) => createFeedbackService(core, deps),
  routes: [feedbackRoutes],
  events: registerFeedbackEvents,
  contract: feedbackContract,
});
