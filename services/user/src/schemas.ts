// The user service's contract with the rest of the platform: what each endpoint accepts and
// what it returns. Replies are dumped through these, so a password hash can never leak.
import { optional, z } from '@platform/schemas';
import { ROLES, STATUSES } from './states';

const email = z.string().trim().toLowerCase().pipe(z.email().max(254));
const userId = z.uuid();
const name = z.string().trim().min(1).max(100);
const password = z.string().min(8).max(128);
const reason = z.string().trim().min(1).max(500);

export const RegisterUser = z.object({ email, name, password }).strict();
export const Authenticate = z.object({ email, password: z.string().min(1).max(128) }).strict();
export const GetUser = z.object({ userId }).strict();
export const GetUsersById = z.object({ userIds: z.array(userId).max(500) }).strict();
export const FindUsers = z
  .object({
    query: optional(z.string().trim().max(254)),
    page: optional(z.number().int().min(1)).default(1),
    pageSize: optional(z.number().int().min(1).max(100)).default(20),
  })
  .strict();
export const SuspendUser = z.object({ userId, reason, actorId: userId }).strict();
export const ChangeRole = z.object({ userId, role: z.enum(ROLES), actorId: userId }).strict();

export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  status: z.enum(STATUSES),
  created_at: z.string(),
});
export type User = z.infer<typeof User>;

export const UserPage = z.object({
  items: z.array(User),
  total: z.number(),
  page: z.number(),
  page_size: z.number(),
});
