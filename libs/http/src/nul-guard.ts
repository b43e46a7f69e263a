// A NUL character in any text a client sends is refused at the facade (400 naming the field,
// no RPC), as the services refuse it too: PostgreSQL cannot store it, and a service that found
// out only when writing might have acted already (charged, refunded, emailed).
import { fieldsWithNul, NUL_MESSAGE } from '@platform/schemas';
import type { FastifyInstance } from 'fastify';
import { ValidationFailed } from './http-errors';

const PARTS = ['params', 'querystring', 'body'] as const;

export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const values = { params: request.params, querystring: request.query, body: request.body };
    for (const part of PARTS) {
      const fields = fieldsWithNul(values[part]).map((field) => (field === '(arguments)' ? part : field));
      if (fields.length === 0) continue;
      const details = fields.map((field) => ({ field, message: NUL_MESSAGE }));
      throw new ValidationFailed(`invalid ${part}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
    }
  });
}
