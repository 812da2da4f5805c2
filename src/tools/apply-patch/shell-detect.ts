// Recognises a patch sent through the shell tool, the way models often do: `["apply_patch", body]`, or a
// `bash -lc` script that is exactly `[cd <dir> &&] apply_patch <<'EOF' … EOF`. The script is read from
// tree-sitter-bash's syntax tree, so quoting and heredoc rules are bash's own, not a regex's guess.

import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { Language, type Node, Parser } from 'web-tree-sitter';
import { loadBashParser } from '../command-safety/index.js';

export interface ShellPatch {
  patch: string;
  /** The directory of a leading `cd <dir> &&`, as written (relative to the command's workdir). */
  workdir?: string;
}

const PATCH_COMMANDS = new Set(['apply_patch', 'applypatch']);
const SHELLS = new Set(['bash', 'zsh', 'sh']);
const SCRIPT_FLAGS = new Set(['-lc', '-c']);

let treeParser: Promise<Parser> | undefined;

/** A parser that hands out raw syntax trees (the command-safety parser only returns derived facts). */
function loadTreeParser(): Promise<Parser> {
  treeParser ??= (async () => {
    // The shared loader runs `Parser.init()`; it must run once per process, since a second call replaces
    // the wasm module under every parser already created.
    await loadBashParser();
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm');
    const parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
    return parser;
  })();
  return treeParser;
}

export async function extractApplyPatchFromArgv(argv: readonly string[]): Promise<ShellPatch | undefined> {
  if (argv.length === 2 && PATCH_COMMANDS.has(argv[0])) return { patch: argv[1] };
  if (argv.length !== 3 || !SHELLS.has(basename(argv[0])) || !SCRIPT_FLAGS.has(argv[1])) return undefined;
  if (!/\b(apply_patch|applypatch)\b/.test(argv[2])) return undefined;
  const parser = await loadTreeParser();
  const tree = parser.parse(argv[2]);
  if (!tree) return undefined;
  try {
    return tree.rootNode.hasError ? undefined : heredocPatch(tree.rootNode);
  } finally {
    tree.delete();
  }
}

function heredocPatch(program: Node): ShellPatch | undefined {
  const statements = program.namedChildren.filter((n) => n !== null && n.type !== 'comment');
  if (statements.length !== 1 || statements[0]?.type !== 'redirected_statement') return undefined;
  const statement = statements[0];
  const redirects = statement.namedChildren.filter((n) => n !== null && n.type === 'heredoc_redirect');
  const body = statement.childForFieldName('body');
  if (redirects.length !== 1 || !body || statement.namedChildCount !== 2) return undefined;
  const heredoc = redirects[0]?.namedChildren.find((n) => n?.type === 'heredoc_body');
  if (!heredoc) return undefined;

  if (body.type === 'command') return isPatchCommand(body) ? { patch: heredoc.text } : undefined;
  if (body.type !== 'list') return undefined;
  // `cd <dir> && apply_patch`: exactly two commands joined by `&&`.
  const [cd, op, patchCommand] = body.children;
  if (body.childCount !== 3 || op?.type !== '&&' || !cd || !patchCommand) return undefined;
  if (cd.type !== 'command' || patchCommand.type !== 'command' || !isPatchCommand(patchCommand))
    return undefined;
  const words = cd.namedChildren.map((n) => (n ? literal(n) : null));
  if (words.length !== 2 || words[0] !== 'cd' || words[1] === null || words[1] === undefined)
    return undefined;
  return { patch: heredoc.text, workdir: words[1] };
}

function isPatchCommand(command: Node): boolean {
  if (command.namedChildCount !== 1) return false;
  const name = command.namedChild(0);
  return name !== null && PATCH_COMMANDS.has(literal(name) ?? '');
}

/** The value of a literal word or quoted string; `null` when it involves any expansion. */
function literal(node: Node): string | null {
  switch (node.type) {
    case 'command_name': {
      const inner = node.namedChild(0);
      return inner ? literal(inner) : null;
    }
    case 'word':
      return node.text.replace(/\\(.)/gs, '$1');
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string':
      return node.namedChildren.every((c) => c?.type === 'string_content')
        ? node.text.slice(1, -1).replace(/\\([$`"\\\n])/g, '$1')
        : null;
    default:
      return null;
  }
}
