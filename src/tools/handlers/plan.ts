// `update_plan`: the model keeps a visible checklist. Nothing runs; the plan is validated, shown to front
// ends as a plan_update event, and acknowledged.

import * as z from '../../config/zod-mini.js';
import { defineTool, described } from '../define-tool.js';
import type { ToolHandler } from '../types.js';

const updatePlanTool = defineTool({
  name: 'update_plan',
  description:
    'Updates the task plan. Give an optional explanation and a list of steps, each with a status. ' +
    'Statuses: pending, in_progress, completed. At most one step may be in_progress at a time.',
  parameters: z.object({
    explanation: z.optional(z.string()),
    plan: described(
      z.array(
        z.object({
          step: z.string(),
          status: described(
            z.enum(['pending', 'in_progress', 'completed']),
            'One of: pending, in_progress, completed',
          ),
        }),
      ),
      'The list of steps',
    ),
  }),
});

export function createPlanToolHandler(): ToolHandler {
  return {
    name: updatePlanTool.name,
    spec: updatePlanTool.spec,
    parallelSafe: false,
    async handle(call, ctx) {
      const { explanation, plan } = updatePlanTool.parse(call);
      ctx.emit({ type: 'plan_update', explanation, plan });
      return { output: 'Plan updated', success: true };
    },
  };
}
