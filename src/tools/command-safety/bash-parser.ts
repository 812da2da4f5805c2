// Parses `bash -lc` scripts with tree-sitter-bash (a maintained grammar, run as wasm) so safety and approval
// scopes are judged on the real syntax tree, never on regexes. The grammar is loaded once, lazily.

import { createRequire } from 'node:module';
import { Language, type Node, Parser } from 'web-tree-sitter';

/** Parses bash source; `null` when the grammar rejects it (syntax errors). */
export interface BashParser {
  parse(script: string): BashScript | null;
}

export interface BashScript {
  /**
   * The script as plain commands, when it is nothing but literal words joined by `&&`, `||`, `;` or `|`
   * (no expansions, substitutions, redirections, subshells, assignments or background jobs); else `null`.
   */
  plainCommands: string[][] | null;
  /**
   * Every command anywhere in the script (inside substitutions, subshells, pipelines, function bodies…), each
   * as the literal words it begins with: the scan stops at the first word that is not a literal, so
   * `rm -rf $DIR` is seen as `rm -rf`.
   */
  allCommands: string[][];
}

// Node kinds a "plain" script may contain. Anything else (redirects, `$x`, `$(…)`, `&`, heredocs…) means
// the script is not a simple sequence of known commands and gets no automatic trust.
const PLAIN_NAMED = new Set([
  'program',
  'list',
  'pipeline',
  'command',
  'command_name',
  'word',
  'string',
  'string_content',
  'raw_string',
  'number',
]);
const PLAIN_PUNCTUATION = new Set(['&&', '||', ';', '|', '"', "'"]);

let parserPromise: Promise<BashParser> | undefined;

/** The shared parser; the wasm grammar is loaded on first use. */
export function loadBashParser(): Promise<BashParser> {
  parserPromise ??= createParser();
  return parserPromise;
}

async function createParser(): Promise<BashParser> {
  await Parser.init();
  const wasmPath = createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  const language = await Language.load(wasmPath);
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    parse(script) {
      const tree = parser.parse(script);
      if (!tree) return null;
      try {
        const root = tree.rootNode;
        if (root.hasError) return null;
        return { plainCommands: plainCommandsOf(root), allCommands: commandsIn(root) };
      } finally {
        tree.delete();
      }
    },
  };
}

function plainCommandsOf(root: Node): string[][] | null {
  const commands: string[][] = [];
  const visit = (node: Node): boolean => {
    if (node.isNamed) {
      if (!PLAIN_NAMED.has(node.type)) return false;
    } else if (!PLAIN_PUNCTUATION.has(node.type)) {
      return false;
    }
    if (node.type === 'command') {
      const words = literalWords(node);
      if (!words || words.length !== node.namedChildCount) return false;
      commands.push(words);
      return true;
    }
    for (const child of node.children) {
      if (!child || !visit(child)) return false;
    }
    return true;
  };
  return visit(root) && commands.length > 0 ? commands : null;
}

function commandsIn(root: Node): string[][] {
  const found: string[][] = [];
  const visit = (node: Node) => {
    if (node.type === 'command') {
      const words = leadingLiteralWords(node);
      if (words.length > 0) found.push(words);
    }
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return found;
}

/** All words of a command when every one of them is a literal; `null` otherwise. */
function literalWords(command: Node): string[] | null {
  const words: string[] = [];
  for (const child of command.namedChildren) {
    if (!child) return null;
    const word = literalText(child);
    if (word === null) return null;
    words.push(word);
  }
  return words;
}

function leadingLiteralWords(command: Node): string[] {
  const words: string[] = [];
  for (const child of command.namedChildren) {
    if (!child) break;
    if (child.type === 'variable_assignment' || child.type === 'file_redirect') continue;
    const word = literalText(child);
    if (word === null) break;
    words.push(word);
  }
  return words;
}

/** The value of a literal word (`word`, `'raw'`, `"plain string"`, a number), or `null` when it expands. */
function literalText(node: Node): string | null {
  switch (node.type) {
    case 'command_name': {
      const inner = node.namedChild(0);
      return inner ? literalText(inner) : null;
    }
    case 'word':
    case 'number':
      // Backslash escapes in a bare word stand for the character itself (`foo\ bar` is `foo bar`).
      return node.text.replace(/\\(.)/gs, '$1');
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string': {
      for (const child of node.namedChildren) {
        if (child?.type !== 'string_content') return null;
      }
      return node.text.slice(1, -1).replace(/\\([$`"\\\n])/g, '$1');
    }
    default:
      return null;
  }
}
