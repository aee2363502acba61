import { parseBaseUrlAllowance } from '../../src/connections/base-url.js';
import { createEgress } from '../../src/egress/index.js';

/**
 * What the test suite allows itself: its fakes and receivers listen on loopback, which the egress
 * policy refuses by default. Tests reach them the way an operator reaches a self-hosted receiver,
 * through the allow-list settings, never by turning the policy off; a test of the policy itself
 * builds its own, stricter one.
 */
export const TEST_EGRESS_ALLOWED = ['127.0.0.0/8', '::1', 'localhost'];
/** The fakes' base URLs: any port on loopback. */
export const TEST_HR_ALLOWED_BASE_URLS = ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*'];

export const testEgress = createEgress({ allowed: TEST_EGRESS_ALLOWED });
export const testAllowedBaseUrls = parseBaseUrlAllowance(TEST_HR_ALLOWED_BASE_URLS);

/** The same allowances as environment variables, for a server or CLI process. */
export const testEgressEnv = { EGRESS_ALLOWED: TEST_EGRESS_ALLOWED.join(','), HR_ALLOWED_BASE_URLS: TEST_HR_ALLOWED_BASE_URLS.join(',') };
