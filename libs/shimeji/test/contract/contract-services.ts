// Small services the contract suite runs against.
import { Config, inject, rpc, RpcProxy, service, type WorkerContext } from '../../src';
import { DependencyProvider } from '../../src/extensions';

export class InsufficientFunds extends Error {
  static excPath = 'bank.exceptions.InsufficientFunds';
}

export class Unexpected extends Error {
  readonly args: unknown[];
  constructor(message: string, code: number) {
    super(message);
    this.args = [message, code];
  }
}

/** Gives each worker the context it runs in, so tests can see what travelled with the call. */
export class ContextProbe extends DependencyProvider<WorkerContext> {
  getDependency(workerCtx: WorkerContext): WorkerContext {
    return workerCtx;
  }
}

export const executions: Record<string, number> = {};
export const concurrency = { now: 0, max: 0 };

@service('bank')
export class BankService {
  config = inject(new Config());
  ctx = inject(new ContextProbe());

  @rpc
  async balance(accountId: string, currency = 'EUR') {
    return { accountId, currency, amount: 100 };
  }

  @rpc({ expectedExceptions: [InsufficientFunds] })
  async withdraw(amount: number) {
    if (amount > 100) throw new InsufficientFunds(`cannot withdraw ${amount}`);
    return 100 - amount;
  }

  @rpc
  async explode() {
    throw new Unexpected('it broke', 42);
  }

  @rpc
  async slow(id: string, ms: number) {
    executions[id] = (executions[id] ?? 0) + 1;
    concurrency.now++;
    concurrency.max = Math.max(concurrency.max, concurrency.now);
    await new Promise((resolve) => setTimeout(resolve, ms));
    concurrency.now--;
    return id;
  }

  @rpc
  async whoAmI() {
    return { data: this.ctx.data, callIdStack: this.ctx.callIdStack, region: this.config.region ?? null };
  }
}

@service('teller')
export class TellerService {
  bank = inject(new RpcProxy<Pick<BankService, 'balance' | 'whoAmI'>>('bank'));
  ctx = inject(new ContextProbe());

  @rpc
  async checkBalance(accountId: string) {
    return this.bank.balance(accountId);
  }

  @rpc
  async relayWhoAmI() {
    return { teller: this.ctx.callId, bank: await this.bank.whoAmI() };
  }
}
