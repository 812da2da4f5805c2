// Starting a session or resuming one from its rollout file: its id, its record (history, rollout, token
// totals) and the messages a resumed session's front end replays.

import { randomUUID } from 'node:crypto';
import { formatProjectDocsMessage, loadProjectDocs } from '../config/project-docs.js';
import type { Config } from '../config/types.js';
import type { InitialMessage } from '../protocol/events.js';
import { emptyTokenUsage } from '../providers/usage.js';
import { environmentContextFor } from './environment-context.js';
import { initialContextItems } from './prompt.js';
import { SessionRecord, USER_SHELL } from './record.js';
import { collectSecrets, createRedactor } from './redact.js';
import { readRollout } from './resume.js';
import { RolloutRecorder, rolloutPathFor } from './rollout.js';
import type { TurnSettings } from './turn-context.js';

export interface StartOptions {
  config: Config;
  /** Resume the session recorded in this rollout file instead of starting a new one. */
  resumePath?: string;
  originator?: string;
  source?: string;
  cliVersion?: string;
}

export interface StartedSession {
  id: string;
  record: SessionRecord;
  /** A resumed session's earlier messages, for `session_configured`. */
  initialMessages?: InitialMessage[];
  /** Problems reading the rollout (repaired or skipped lines). */
  warnings: string[];
}

export function startSession(options: StartOptions, settings: TurnSettings): StartedSession {
  const { config } = options;
  const redact = createRedactor(collectSecrets(config));
  if (options.resumePath) {
    const resumed = readRollout(options.resumePath);
    const last = resumed.lastTurnContext;
    const lastEnvironment = last
      ? environmentContextFor(
          { cwd: last.cwd, approvalPolicy: last.approval_policy, sandboxPolicy: last.sandbox_policy },
          USER_SHELL,
        )
      : {};
    const record = new SessionRecord(
      RolloutRecorder.resume(options.resumePath, redact),
      resumed.history,
      resumed.totalUsage ?? emptyTokenUsage(),
      lastEnvironment,
    );
    return {
      id: resumed.meta.id,
      record,
      initialMessages: resumed.initialMessages,
      warnings: resumed.warnings,
    };
  }
  const id = randomUUID();
  const now = new Date();
  const rollout = RolloutRecorder.create(
    rolloutPathFor(config.conduitHome, id, now),
    {
      id,
      timestamp: now.toISOString(),
      cwd: config.cwd,
      originator: options.originator ?? 'conduit',
      cli_version: options.cliVersion ?? 'unknown',
      instructions: config.baseInstructionsOverride,
      source: options.source ?? 'library',
      model_provider: config.modelProviderId,
    },
    redact,
  );
  const environment = environmentContextFor(settings, USER_SHELL);
  const record = new SessionRecord(rollout, [], emptyTokenUsage(), environment);
  const docs = loadProjectDocs({
    cwd: config.cwd,
    conduitHome: config.conduitHome,
    maxBytes: config.projectDocMaxBytes,
    fallbackFilenames: config.projectDocFallbackFilenames,
  });
  const initial = initialContextItems({
    developerInstructions: config.developerInstructions,
    projectDocMessage: docs ? formatProjectDocsMessage(config.cwd, docs) : undefined,
    environment,
  });
  for (const item of initial) record.recordItem(item);
  return { id, record, warnings: [] };
}
