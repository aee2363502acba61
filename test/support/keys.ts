/** The secret key tests seal with (credentials, bank accounts); never a production key. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7);
