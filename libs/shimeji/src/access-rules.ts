// Who may call an entrypoint, declared beside it: `@rpc({ allow: ['admin', 'support'] })`. The
// framework checks the rule against the verified token before the worker runs, so a refused call
// writes nothing. Rules say who may ask; what a caller may see of an object (a customer only
// their own order) stays in the domain, which reads the verified caller.
import type { Identity } from './access-tokens';
import { Forbidden } from './exceptions';

/**
 * - `'anyone'`: any caller with a valid token (a facade's guest included);
 * - a list of roles: callers with one of them (`'service'` for a service acting on its own);
 * - `{ roles, self, actor }`: `roles` as above; `self` names the argument that holds a user id,
 *   and that user may call whatever their role (their own data); `actor` names the argument that
 *   says who acts, which must be the token's user (a service acting on its own may act for anyone).
 */
export type AllowRule = 'anyone' | readonly string[] | { roles?: readonly string[]; self?: string; actor?: string };

interface Rule {
  anyone: boolean;
  roles: readonly string[];
  self?: string;
  actor?: string;
}

function normalise(rule: AllowRule): Rule {
  if (rule === 'anyone') return { anyone: true, roles: [] };
  if (Array.isArray(rule)) return { anyone: false, roles: rule };
  const { roles = [], self, actor } = rule as Exclude<AllowRule, 'anyone' | readonly string[]>;
  return { anyone: false, roles, self, actor };
}

/** A rule bound to a method's parameter names, checked at set-up so a typo fails the start, not a call. */
export class AccessRule {
  private readonly rule: Rule;
  private readonly selfIndex?: number;
  private readonly actorIndex?: number;

  constructor(
    readonly allow: AllowRule,
    parameterNames: readonly string[],
    private readonly where: string,
  ) {
    this.rule = normalise(allow);
    const indexOf = (name: string | undefined, kind: string): number | undefined => {
      if (name === undefined) return undefined;
      const index = parameterNames.indexOf(name);
      if (index < 0) throw new Error(`${where}: allow.${kind} names "${name}", which is not one of its arguments (${parameterNames.join(', ')})`);
      return index;
    };
    this.selfIndex = indexOf(this.rule.self, 'self');
    this.actorIndex = indexOf(this.rule.actor, 'actor');
  }

  /** Forbidden unless `caller` may make this call with these (bound, positional) arguments. */
  check(caller: Identity, args: readonly unknown[]): void {
    const { anyone, roles } = this.rule;
    const own = this.selfIndex !== undefined && args[this.selfIndex] === caller.sub;
    if (!anyone && !roles.includes(caller.role) && !own) {
      throw new Forbidden(`${this.where} may not be called by the role ${caller.role}`);
    }
    if (this.actorIndex !== undefined && caller.kind === 'user' && args[this.actorIndex] !== caller.sub) {
      throw new Forbidden(`${this.where}: ${this.rule.actor} must be the caller's own id`);
    }
  }

  /** The roles that pass, for documentation and the table tests. */
  get roles(): readonly string[] {
    return this.rule.roles;
  }
}
