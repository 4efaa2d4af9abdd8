// dispatch/round: offer a request to (more) agents; dispatch/expire: its maximum wait is over.
import type { Processor } from './registry.js';

export const runDispatchRound: Processor<'dispatch', 'round'> = async (payload, { services }) => services.dispatch.round(payload);

export const expireRequest: Processor<'dispatch', 'expire'> = async (payload, { services }) => services.dispatch.expire(payload);

export const endNoShow: Processor<'dispatch', 'noShow'> = async (payload, { services }) => services.dispatch.noShow(payload);
