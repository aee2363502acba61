import type { Hono } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from '../context.js';

export function runPages(_r: Hono<ConsoleEnv>, _deps: ConsoleDeps) {}
