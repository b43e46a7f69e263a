// What a facade's /ready checks, each dependency by name, so that a 503 says which is unhealthy
// (`details: [{ field: 'broker', message: 'unhealthy' }]`) rather than only that one is.
export type ReadinessCheck = () => boolean | Promise<boolean>;

/** The names of the checks that failed (or threw); empty when all pass. */
export async function unhealthy(checks: Readonly<Record<string, ReadinessCheck>>): Promise<string[]> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        return (await check()) ? undefined : name;
      } catch {
        return name;
      }
    }),
  );
  return results.filter((name): name is string => name !== undefined);
}
