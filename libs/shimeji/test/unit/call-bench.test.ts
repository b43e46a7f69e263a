// The shell's .bench: every call made once, never more than the concurrency at a time, failures
// counted by their one-line error.
import { benchCalls, formatBench } from '../../src/cli/call-bench';
import { RemoteError } from '../../src/exceptions';

describe('benchmarking calls', () => {
  it('makes exactly the calls asked for, never more at once than the concurrency', async () => {
    let now = 0;
    let most = 0;
    let made = 0;
    const result = await benchCalls(
      async () => {
        made++;
        most = Math.max(most, ++now);
        await new Promise((resolve) => setTimeout(resolve, 2));
        now--;
      },
      { calls: 40, concurrency: 4 },
    );
    expect(made).toBe(40);
    expect(most).toBe(4);
    expect(result).toMatchObject({ calls: 40, failed: 0 });
    expect(result.latencyMs.p50).toBeGreaterThan(1);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(result.latencyMs.p99);
    expect(result.callsPerSecond).toBeCloseTo(40 / result.seconds);
  });

  it('counts failures by error, a remote one by its type and value', async () => {
    let n = 0;
    const declined = new RemoteError({ exc_type: 'PaymentDeclined', exc_path: 'payment.exceptions.PaymentDeclined', exc_args: ['insufficient_funds'], value: 'insufficient_funds' });
    const result = await benchCalls(async () => {
      if (++n % 2 === 0) throw declined;
    }, { calls: 10, concurrency: 3 });
    expect(result.failed).toBe(5);
    expect([...result.errors]).toEqual([['PaymentDeclined: insufficient_funds', 5]]);
    expect(formatBench('payment.payOrder', result, 3)).toContain('failed 5\n    5 × PaymentDeclined: insufficient_funds\n');
  });

  it.each([
    [{ calls: 0, concurrency: 1 }, /--n must be a whole number of calls above 0, not 0/],
    [{ calls: 5, concurrency: Number.NaN }, /--concurrency must be a whole number above 0, not NaN/],
  ])('refuses %j, naming the option', async (options, message) => {
    await expect(benchCalls(async () => undefined, options)).rejects.toThrow(message);
  });
});
