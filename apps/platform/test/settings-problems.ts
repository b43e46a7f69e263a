import { checkSettings, SettingsError } from '../src/settings';

/** The problems checkSettings reports for `env`, one line each; none when it accepts them. */
export function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    checkSettings(env);
    return [];
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return [...error.problems];
  }
}
