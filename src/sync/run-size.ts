/**
 * What a run holds in memory grows with the company: every employee of the HR read (or of the
 * snapshot, on an incremental run) and every directory user of the tenant sit in the plan at
 * once. Measured on the 50,000-employee BambooHR bench, a run's peak is about 3 KB per employee
 * over the idle process; 4 KB leaves room for providers with larger records.
 */
export const KB_PER_EMPLOYEE = 4;
/** What any run costs (connector, buffers, the plan's bookkeeping) before its first employee. */
export const BASE_RUN_MB = 2;
/** A connection never synced has no snapshot yet: assume a mid-sized company until it has one. */
export const FIRST_RUN_EMPLOYEES = 10_000;

/** The expected peak of a run in MB, from the number of employees it will hold. */
export const runMegabytes = (employees: number): number => BASE_RUN_MB + (employees * KB_PER_EMPLOYEE) / 1024;

/**
 * How many employees the next run of this connection will hold: its last snapshot's size (kept on
 * the connection, so the claim brings it), which an incremental run plans over too, or a default
 * for a connection that has none yet.
 */
export const expectedEmployees = (snapshotEmployees: number | null): number => (snapshotEmployees && snapshotEmployees > 0 ? snapshotEmployees : FIRST_RUN_EMPLOYEES);

/** The expected peak of a connection's next run in MB: what the memory budget and the heap's growth limit count. */
export const expectedRunMegabytes = (connection: { snapshotEmployees: number | null }): number => runMegabytes(expectedEmployees(connection.snapshotEmployees));
