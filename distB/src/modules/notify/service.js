export function createNotifyService(core, accounts) {
    /** Emits the event to its target, for an app the caller already verified. */
    function emit(job) {
        if ('user' in job.to)
            core.emitter.toUser(job.appid, job.to.user, job.event, job.data ?? null);
        else
            core.emitter.toRoom(job.appid, job.to.room, job.event, job.data ?? null);
    }
    return {
        emit,
        /** The queue's job: the app must exist, nothing is sent for an unknown tenant. */
        async deliver(job) {
            await accounts.getApp(job.appid);
            emit(job);
        },
    };
}
//# sourceMappingURL=service.js.map