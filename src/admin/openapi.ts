import { z } from 'zod';
import type { AdminRoute } from './route.js';

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });

const problem = {
  description: 'Error (application/problem+json)',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' } },
      },
    },
  },
};

/** OpenAPI 3.1 generated from the same zod schemas that validate requests, so it cannot drift. */
export function buildOpenApi(routes: AdminRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const queryParams = r.query
      ? Object.entries((schemaOf(r.query) as { properties?: Record<string, unknown> }).properties ?? {}).map(([name, schema]) => ({
          name,
          in: 'query',
          required: false,
          schema,
        }))
      : [];
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      description: `Access: ${r.access}`,
      parameters: [...params, ...queryParams],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body) } } } } : {}),
      responses: {
        [String(r.status ?? 200)]:
          r.status === 204 ? { description: 'Done' } : { description: 'OK', content: { 'application/json': { schema: schemaOf(r.response) } } },
        '400': problem,
        '401': problem,
        '403': problem,
        '404': problem,
        ...Object.fromEntries(
          Object.entries(r.responses ?? {}).map(([status, description]) => [
            status,
            status.startsWith('2') ? { description, content: { 'application/json': { schema: schemaOf(r.response) } } } : { ...problem, description },
          ]),
        ),
      },
      security: [{ adminJwt: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Rollcall admin API', version: '1' },
    servers: [{ url: '/admin/v1' }],
    components: { securitySchemes: { adminJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
