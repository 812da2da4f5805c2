// The two ways the model is offered apply_patch: a JSON function tool (every wire) and a freeform custom
// tool constrained by a Lark grammar (Responses models whose family is trained on it).

import type { Config } from '../../config/types.js';
import * as z from '../../config/zod-mini.js';
import type { ToolSpec } from '../../protocol/models.js';
import { defineTool, described } from '../define-tool.js';
import { APPLY_PATCH_LARK_GRAMMAR } from './grammar.js';

export type ApplyPatchToolType = 'function' | 'freeform';

const FORMAT_DESCRIPTION = `Edit files with a patch. The patch is plain text in this envelope:

*** Begin Patch
[one or more file operations]
*** End Patch

File operations:
*** Add File: <path>      followed by the new file's lines, each starting with '+'
*** Delete File: <path>   nothing follows
*** Update File: <path>   optionally followed by '*** Move to: <new path>', then one or more chunks

A chunk starts with '@@' or '@@ <line>' (a line such as a class or function header that precedes the change,
used to find the right place), followed by the lines of the change: ' ' for unchanged context, '-' for a
removed line, '+' for an added line. Give about 3 lines of context before and after each change. If the
change is at the very end of the file, end the chunk with '*** End of File'.

Example:
*** Begin Patch
*** Add File: docs/hello.txt
+Hello, world!
*** Update File: src/app.py
@@ def greet():
-    print("Hi")
+    print("Hello")
*** Delete File: obsolete.txt
*** End Patch

Paths are relative to the working directory; never use absolute paths. The patch is applied all or
nothing: if any part fails to apply, no file is changed.`;

/** The function variant: the patch as the one string argument `input`. */
export const applyPatchFunctionTool = defineTool({
  name: 'apply_patch',
  description: FORMAT_DESCRIPTION,
  parameters: z.object({
    input: described(
      z.string({ error: '"input" must be a string holding the whole patch' }),
      'The entire patch, from *** Begin Patch to *** End Patch.',
    ),
  }),
});

export function applyPatchToolSpec(type: ApplyPatchToolType): ToolSpec {
  if (type === 'freeform') {
    return {
      type: 'custom',
      name: 'apply_patch',
      description:
        'Use the `apply_patch` tool to edit files. This is a FREEFORM tool: send the patch itself, not JSON.',
      format: { type: 'grammar', syntax: 'lark', definition: APPLY_PATCH_LARK_GRAMMAR },
    };
  }
  return applyPatchFunctionTool.spec;
}

/** Freeform only where custom tools exist (the Responses wire) and the model family asks for it. */
export function applyPatchToolTypeFor(
  config: Pick<Config, 'modelFamily' | 'modelProvider'>,
): ApplyPatchToolType {
  return config.modelFamily.applyPatchToolType === 'freeform' && config.modelProvider.wireApi === 'responses'
    ? 'freeform'
    : 'function';
}
