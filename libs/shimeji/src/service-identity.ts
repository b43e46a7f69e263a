// A service acting on its own (an event handler, a timer, a saga step) calls others with a token
// of its own: `service:<name>`, role `service`, signed with the service's key, which services
// trust for that identity and nothing more.
import { accessConfigured, accessTokenTtlMs, serviceIssuerFromConfig } from './access-keys';
import { type Identity, SERVICE_AUDIENCE, SERVICE_ROLE, serviceSubject, type TokenIssuer } from './access-tokens';
import { CONFIG_KEYS } from './constants';
import type { ServiceContainer } from './container';
import { DependencyProvider, SharedExtension } from './extensions';
import type { WorkerContext } from './worker-context';

/** Who a service is when it acts on its own. */
export function serviceIdentity(serviceName: string): Identity {
  return { sub: serviceSubject(serviceName), role: SERVICE_ROLE, kind: 'service', audience: SERVICE_AUDIENCE, expiresAt: Number.POSITIVE_INFINITY };
}

/** The container's own token, minted when first needed and again after half its life. */
export class ServiceIdentity extends SharedExtension {
  private issuer?: TokenIssuer;
  private ttlMs = 0;
  private current?: Promise<{ token: string; renewAt: number }>;

  static of(container: ServiceContainer): ServiceIdentity {
    return container.shared('service-identity', () => new ServiceIdentity());
  }

  override async setup(): Promise<void> {
    const { config, serviceName } = this.container;
    this.issuer = await serviceIssuerFromConfig(config);
    if (!this.issuer && accessConfigured(config)) {
      throw new Error(`${serviceName} calls other services, which check access tokens: set ${CONFIG_KEYS.accessServiceSigningKey} (its private key, PEM text or a file)`);
    }
    this.ttlMs = accessTokenTtlMs(config);
  }

  /** The token to send, or undefined where no access tokens are in use. */
  async token(): Promise<string | undefined> {
    if (!this.issuer) return undefined;
    const now = Date.now();
    const minted = this.current && (await this.current.catch(() => undefined));
    if (!minted || minted.renewAt <= now) {
      const issuer = this.issuer;
      this.current = issuer
        .mint({ sub: serviceSubject(this.container.serviceName), role: SERVICE_ROLE, audience: SERVICE_AUDIENCE, ttlMs: this.ttlMs })
        .then((token) => ({ token, renewAt: now + this.ttlMs / 2 }));
      return (await this.current).token;
    }
    return minted.token;
  }
}

/**
 * Who the worker acts for: `caller = inject(new CallerIdentity())`. The verified caller of the
 * call it serves, or its own service for work no caller started. Read the acting user here,
 * never from an argument a caller could forge.
 */
export class CallerIdentity extends DependencyProvider<Identity> {
  getDependency(workerCtx: WorkerContext): Identity {
    return workerCtx.identity ?? serviceIdentity(this.container.serviceName);
  }
}
