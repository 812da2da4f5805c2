// Keeps secrets out of rollouts and logs: known secret values (API keys from the providers' env_key
// variables, bearer tokens from config) and anything that looks like a bearer token are masked.

import type { Config } from '../config/types.js';

const REDACTED = '[REDACTED]';
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
/** Shorter values are too likely to occur by chance in ordinary text. */
const MIN_SECRET_LENGTH = 8;
const KEY_VARIABLES = ['CODEX_API_KEY', 'CONDUIT_API_KEY', 'OPENAI_API_KEY'];

export type Redactor = (text: string) => string;

export function collectSecrets(config: Config, env: NodeJS.ProcessEnv = process.env): string[] {
  const secrets = new Set<string>();
  const add = (value: string | undefined) => {
    if (value && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  };
  for (const name of KEY_VARIABLES) add(env[name]);
  for (const provider of Object.values(config.modelProviders)) {
    if (provider.envKey) add(env[provider.envKey]);
    add(provider.experimentalBearerToken);
    for (const variable of Object.values(provider.envHttpHeaders)) add(env[variable]);
  }
  return [...secrets];
}

/** Masks the given secrets (also in their JSON-escaped form) and bearer tokens. */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.replace(BEARER, `$1${REDACTED}`);
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  };
}
