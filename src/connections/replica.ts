import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This process as named in scheduler leases: readable in the database, unique across restarts. */
export const replicaName = (): string => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
