import { callStateJobId } from './index.js';
/** What the simulated carrier will do with `number`: each state and its delay after the dial. */
export function simulatedOutcome(number, o) {
    if (o.failPattern.test(number))
        return [{ state: 'ringing', delay: 0 }, { state: 'failed', delay: o.answerMs }];
    if (o.hangupPattern.test(number))
        return [{ state: 'ringing', delay: 0 }, { state: 'answered', delay: o.answerMs }, { state: 'hungup', delay: o.answerMs + o.hangupMs }];
    return [{ state: 'ringing', delay: 0 }, { state: 'answered', delay: o.answerMs }];
}
export function createSimulatedTelephony(o, queues) {
    const report = (leg, state, delay) => queues.add('conferences', 'callState', { appid: leg.appid, confId: leg.confId, callid: leg.callid, state, reason: 'simulated' }, { delay, jobId: callStateJobId(leg, state) });
    return {
        name: 'simulated',
        async execute(cmd) {
            switch (cmd.action) {
                case 'dial':
                    for (const step of simulatedOutcome(cmd.number, o))
                        await report(cmd.leg, step.state, step.delay);
                    return;
                case 'hangup':
                    await report(cmd.leg, 'hungup', 0);
                    return;
                default:
                    return; // mute/unmute: the state is already ours; a simulated line has nothing to silence
            }
        },
    };
}
//# sourceMappingURL=simulated.js.map