// Prometheus metrics of sagas: how each ended, and how long its steps took. As with shimeji's
// ServiceMetrics, one instance per registry, since prom-client refuses a name twice in one.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { SagaOutcome, StepPhase } from './saga-store';

const byRegistry = new WeakMap<Registry, SagaMetrics>();

export class SagaMetrics {
  readonly outcomes: Counter<'saga' | 'outcome'>;
  readonly stepDuration: Histogram<'saga' | 'step' | 'phase' | 'outcome'>;

  /** The saga metrics of this registry, created on first use. */
  static in(registry: Registry): SagaMetrics {
    let found = byRegistry.get(registry);
    if (!found) {
      found = new SagaMetrics(registry);
      byRegistry.set(registry, found);
    }
    return found;
  }

  private constructor(registry: Registry) {
    this.outcomes = new Counter({
      name: 'shimeji_saga_outcomes_total',
      help: 'Sagas ended, by saga and outcome (completed, compensated, stuck)',
      labelNames: ['saga', 'outcome'],
      registers: [registry],
    });
    this.stepDuration = new Histogram({
      name: 'shimeji_saga_step_duration_seconds',
      help: 'One try of a saga step, by saga, step, phase (execute, compensate) and outcome (ok, error)',
      labelNames: ['saga', 'step', 'phase', 'outcome'],
      registers: [registry],
    });
  }

  ended(saga: string, outcome: SagaOutcome): void {
    this.outcomes.inc({ saga, outcome });
  }

  stepTried(saga: string, step: string, phase: StepPhase, ok: boolean, seconds: number): void {
    this.stepDuration.observe({ saga, step, phase, outcome: ok ? 'ok' : 'error' }, seconds);
  }
}
