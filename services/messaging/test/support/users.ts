// Users as the user service returns them from getUser and announces them in user_registered.
import { randomUUID } from 'node:crypto';

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  created_at: string;
}

export const user = (name: string): User => ({
  id: randomUUID(),
  email: `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID().slice(0, 6)}@example.com`,
  name,
  role: 'customer',
  status: 'active',
  created_at: '2026-01-01T00:00:00.000Z',
});
