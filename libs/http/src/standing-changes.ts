// A cached standing is trusted for up to its TTL (30 s), which is how long a suspended account
// would keep its powers if nobody said otherwise. The user service says so: every instance of a
// facade hears its suspensions, reactivations and role changes (broadcast, one queue an instance,
// gone with it) and forgets that user's standing, so the next request asks again.
import { eventHandler, service, ServiceContainer, type ServiceConfig } from '@platform/shimeji';

/** The user service's events after which a caller's standing is stale. */
export const STANDING_EVENTS = ['user_suspended', 'user_reactivated', 'user_role_changed'] as const;

const HEARD = { handlerType: 'broadcast', reliableDelivery: false } as const;

function userIdOf(payload: unknown): string | undefined {
  const id = (payload as { user?: { id?: unknown } } | null)?.user?.id;
  return typeof id === 'string' ? id : undefined;
}

export interface StandingChanges {
  stop(): Promise<void>;
}

/** Listens, on the config's broker, for `STANDING_EVENTS`; `forget(userId)` on each. */
export async function listenForStandingChanges(facadeName: string, config: ServiceConfig, forget: (userId: string) => void): Promise<StandingChanges> {
  const heard = (payload: unknown) => {
    const userId = userIdOf(payload);
    if (userId !== undefined) forget(userId);
  };

  @service(`${facadeName}_caller_standings`)
  class CallerStandingChanges {
    @eventHandler('user', 'user_suspended', HEARD)
    async suspended(payload: unknown) {
      heard(payload);
    }

    @eventHandler('user', 'user_reactivated', HEARD)
    async reactivated(payload: unknown) {
      heard(payload);
    }

    @eventHandler('user', 'user_role_changed', HEARD)
    async roleChanged(payload: unknown) {
      heard(payload);
    }
  }

  const container = new ServiceContainer(CallerStandingChanges, config);
  await container.start();
  return { stop: () => container.stop() };
}
