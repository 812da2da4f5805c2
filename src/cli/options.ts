// Small commander helpers shared by the sub-commands.

/** Accumulates a repeatable option (`-c a=1 -c b=2`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The options every command inherits from the top level. */
export interface GlobalOptions {
  config: string[];
  profile?: string;
  model?: string;
}
