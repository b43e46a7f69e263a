// PAYMENT_AUTHENTICATION_TIMEOUT, read once when the service starts: a bad value stops the start,
// not a payment.
import { DependencyProvider } from '@platform/shimeji';
import { authenticationTimeout } from '../authentication';

/** `authenticationTimeoutMs = inject(new AuthenticationTimeout())`: milliseconds. */
export class AuthenticationTimeout extends DependencyProvider<number> {
  private ms!: number;

  override async setup(): Promise<void> {
    this.ms = authenticationTimeout(this.container.config);
  }

  getDependency(): number {
    return this.ms;
  }
}
