// The shape every service's integration harness had written for itself: the service on the run's
// broker, a recorder hearing the events it dispatches, and a standalone dispatcher sending the
// events other services would send it.
import type { ServiceConfig } from '../config';
import { type ContainerOptions, ServiceContainer } from '../container';
import type { ServiceClass } from '../service-definition';
import { ClusterEventDispatcher } from '../standalone/cluster-event-dispatcher';
import type { EventRecorder } from './event-recorder';
import { accessConfig } from './access-keys';
import { testBrokerUri } from './factories';

export interface ServiceUnderTest {
  uri: string;
  container: ServiceContainer;
  /** Dispatches as another service would, every event with a message id of its own. */
  dispatcher: ClusterEventDispatcher;
  /** Stops the dispatcher, the recorder and the service, in that order. */
  stop(): Promise<void>;
}

export interface ServiceUnderTestOptions {
  /** Runs beside the service in a container of its own. */
  recorder?: EventRecorder;
  /** The broker: the run's RabbitMQ vhost unless given. */
  uri?: string;
  /** Passed to the service's container. */
  containerOptions?: ContainerOptions;
  /** Runs on the container before it starts: `(c) => replaceDependencies(c, { users })`. */
  beforeStart?: (container: ServiceContainer) => void;
}

/**
 * Starts `serviceClass` with `config` (`AMQP_URI`, the test access keys of `accessConfig()` and a
 * silent log added) as its callers meet it, so calls need a token (`as(caller)`):
 * `const running = await startServiceUnderTest(ProjectService, { PROJECT_DATABASE_URL }, { recorder })`.
 */
export async function startServiceUnderTest(
  serviceClass: ServiceClass,
  config: ServiceConfig = {},
  options: ServiceUnderTestOptions = {},
): Promise<ServiceUnderTest> {
  const uri = options.uri ?? testBrokerUri();
  const container = new ServiceContainer(serviceClass, { logLevel: 'silent', ...accessConfig(), ...config, AMQP_URI: uri }, options.containerOptions);
  options.beforeStart?.(container);
  const listener = options.recorder ? new ServiceContainer(options.recorder.service, { AMQP_URI: uri, logLevel: 'silent' }) : undefined;
  await container.start();
  try {
    await listener?.start();
  } catch (error) {
    await container.stop();
    throw error;
  }
  const dispatcher = await ClusterEventDispatcher.connect({ uri });
  return {
    uri,
    container,
    dispatcher,
    async stop() {
      await dispatcher.close();
      await listener?.stop();
      await container.stop();
    },
  };
}
