export const deliverNotify = async (payload, { services }) => {
    await services.notify.deliver(payload);
    return { delivered: true };
};
//# sourceMappingURL=notify.js.map