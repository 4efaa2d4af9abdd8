import { Type } from 'typebox';
export const ErrorResponse = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) }, { description: 'every error: a stable code from the error table and a message' });
/** OpenAPI security requirement names (see app.ts for their definitions). */
export const security = {
    user: [{ userToken: [] }],
    app: [{ appSecret: [] }],
    admin: [{ adminToken: [] }],
    appOrAdmin: [{ appSecret: [] }, { adminToken: [] }],
    userOrApp: [{ userToken: [] }, { appSecret: [] }],
};
//# sourceMappingURL=http.js.map