// `update_plan`: the model keeps a visible checklist. Nothing runs; the plan is validated, shown to front
// ends as a plan_update event, and acknowledged.

import * as z from '../../config/zod-mini.js';
import type { ToolSpec } from '../../protocol/models.js';
import { parseJsonArguments, ToolInputError } from '../arguments.js';
import type { ToolHandler } from '../types.js';

const planArgs = z.object({
  explanation: z.optional(z.string()),
  plan: z.array(
    z.object({
      step: z.string(),
      status: z.enum(['pending', 'in_progress', 'completed']),
    }),
  ),
});

const spec: ToolSpec = {
  type: 'function',
  name: 'update_plan',
  description:
    'Updates the task plan. Give an optional explanation and a list of steps, each with a status. ' +
    'Statuses: pending, in_progress, completed. At most one step may be in_progress at a time.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      explanation: { type: 'string' },
      plan: {
        type: 'array',
        description: 'The list of steps',
        items: {
          type: 'object',
          properties: {
            step: { type: 'string' },
            status: { type: 'string', description: 'One of: pending, in_progress, completed' },
          },
          required: ['step', 'status'],
          additionalProperties: false,
        },
      },
    },
    required: ['plan'],
    additionalProperties: false,
  },
};

export function createPlanToolHandler(): ToolHandler {
  return {
    name: 'update_plan',
    spec,
    parallelSafe: false,
    async handle(call, ctx) {
      const parsed = planArgs.safeParse(parseJsonArguments(call));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ToolInputError(
          `invalid update_plan arguments at ${issue.path.join('.') || '(root)'}: ${issue.message}`,
        );
      }
      ctx.emit({ type: 'plan_update', explanation: parsed.data.explanation, plan: parsed.data.plan });
      return { output: 'Plan updated', success: true };
    },
  };
}
