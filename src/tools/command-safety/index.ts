// One entry point for everything the approval layer wants to know about a command, on one parse.

import { type BashParser, loadBashParser } from './bash-parser.js';
import { isDangerousCommand } from './dangerous.js';
import { isKnownSafeCommand } from './known-safe.js';
import { shellScriptOf } from './shell-script.js';

export type { BashParser, BashScript } from './bash-parser.js';
export { loadBashParser } from './bash-parser.js';
export { isDangerousCommand } from './dangerous.js';
export { isKnownSafeCommand } from './known-safe.js';

export interface CommandAssessment {
  knownSafe: boolean;
  dangerous: boolean;
  /**
   * The plain commands it runs that are not known-safe (what an approval has to cover): from the parsed
   * script of `bash -lc "a && b"`, or argv itself. `null` when a script holds more than plain commands
   * (redirections, expansions…), so no part of it can be judged on its own.
   */
  unsafeCommands: string[][] | null;
}

export async function assessCommand(argv: readonly string[]): Promise<CommandAssessment> {
  // The grammar is ~1.4 MB of wasm: compiling it costs tens of milliseconds and tens of MiB, and most argv
  // hold no script at all. A first pass with a parser that only notes whether it was consulted decides
  // whether the real one is needed; when it was not consulted, that pass's answer is exact.
  const probe = new ParseProbe();
  const withoutScripts = assessWith(argv, probe);
  return probe.consulted ? assessWith(argv, await loadBashParser()) : withoutScripts;
}

function assessWith(argv: readonly string[], parser: BashParser): CommandAssessment {
  const script = shellScriptOf(argv);
  const simpleCommands = script === null ? [[...argv]] : (parser.parse(script)?.plainCommands ?? null);
  return {
    knownSafe: isKnownSafeCommand(argv, parser),
    dangerous: isDangerousCommand(argv, parser),
    unsafeCommands: simpleCommands?.filter((command) => !isKnownSafeCommand(command, parser)) ?? null,
  };
}

/** Stands in for the parser on the first pass: records that a script needed parsing. */
class ParseProbe implements BashParser {
  consulted = false;
  parse(): null {
    this.consulted = true;
    return null;
  }
}
