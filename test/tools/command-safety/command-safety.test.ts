import { beforeAll, describe, expect, it } from 'vitest';
import {
  assessCommand,
  type BashParser,
  isDangerousCommand,
  isKnownSafeCommand,
  loadBashParser,
} from '../../../src/tools/command-safety/index.js';

let parser: BashParser;
beforeAll(async () => {
  parser = await loadBashParser();
});

const bash = (script: string) => ['bash', '-lc', script];
const safe = (argv: string[]) => isKnownSafeCommand(argv, parser);
const dangerous = (argv: string[]) => isDangerousCommand(argv, parser);

describe('bash parser', () => {
  it('splits a plain script into its commands, unquoting words', () => {
    expect(parser.parse(`ls -la && git status | wc -l; echo 'a b' "c" foo\\ bar`)?.plainCommands).toEqual([
      ['ls', '-la'],
      ['git', 'status'],
      ['wc', '-l'],
      ['echo', 'a b', 'c', 'foo bar'],
    ]);
  });

  it.each([
    'ls > out',
    'echo $(whoami)',
    'echo "$HOME"',
    'FOO=1 ls',
    '(ls)',
    'ls &',
    'cat <<EOF\nhi\nEOF',
    'ls `pwd`',
    'ls # comment',
  ])('does not call %j a plain script', (script) => {
    expect(parser.parse(script)?.plainCommands).toBeNull();
  });

  it('returns null for a script with a syntax error', () => {
    expect(parser.parse('ls &&')).toBeNull();
    expect(parser.parse('echo "unterminated')).toBeNull();
  });

  it('finds commands nested in substitutions, subshells and functions', () => {
    expect(
      parser.parse('echo $(rm -rf /) && (cd x; git reset --hard) && f() { sudo rm -f y; }')?.allCommands,
    ).toEqual([
      ['echo'],
      ['rm', '-rf', '/'],
      ['cd', 'x'],
      ['git', 'reset', '--hard'],
      ['sudo', 'rm', '-f', 'y'],
    ]);
  });

  it('keeps the literal words before the first expansion', () => {
    expect(parser.parse('rm -rf "$DIR"/build')?.allCommands).toEqual([['rm', '-rf']]);
  });
});

describe('known-safe commands', () => {
  it.each([
    ['cat', 'README.md'],
    ['/bin/ls', '-la'],
    ['grep', '-rn', 'foo', 'src'],
    ['head', '-n', '5', 'x'],
    ['pwd'],
    ['which', 'node'],
    ['find', '.', '-name', '*.ts'],
    ['rg', '-n', 'TODO'],
    ['rg', '--files'],
    ['git', 'status'],
    ['git', 'log', '--oneline', '-5'],
    ['git', 'diff', 'HEAD~1'],
    ['git', 'show', 'HEAD'],
    ['git', 'branch'],
    ['git', 'branch', '-a', '-v'],
    ['cargo', 'check'],
    ['sed', '-n', '10p', 'file.txt'],
    ['sed', '-n', '1,20p', 'file.txt'],
  ])('%j is safe', (...argv) => {
    expect(safe(argv)).toBe(true);
  });

  it.each([
    [],
    ['rm', 'x'],
    ['python3', '-c', 'print(1)'],
    ['find', '.', '-delete'],
    ['find', '.', '-exec', 'rm', '{}', ';'],
    ['find', '.', '-fprint', 'out'],
    ['rg', '--pre', 'sh', 'x'],
    ['rg', '--pre=sh', 'x'],
    ['rg', '--hostname-bin=/bin/x', 'x'],
    ['rg', '-z', 'x'],
    ['rg', '--search-zip', 'x'],
    ['git', 'commit', '-m', 'x'],
    ['git', 'push'],
    ['git'],
    ['git', 'branch', '-D', 'main'],
    ['git', 'branch', 'new-branch'],
    ['git', 'diff', '--output=/tmp/x'],
    ['git', 'diff', '--ext-diff'],
    ['cargo', 'build'],
    ['sed', '-i', 's/a/b/', 'f'],
    ['sed', '-n', '1p', 'a', 'b'],
    ['sed', '-n', 's/a/b/p', 'f'],
  ])('%j is not safe', (...argv) => {
    expect(safe(argv)).toBe(false);
  });

  it('accepts a bash -lc script of safe commands joined by && || ; |', () => {
    expect(safe(bash('ls -la && git status || pwd; cat a.txt | wc -l'))).toBe(true);
    expect(safe(['zsh', '-lc', 'git log | head -5'])).toBe(true);
    expect(safe(['/bin/bash', '-c', 'rg foo'])).toBe(true);
  });

  it('rejects a script when any command is unsafe or the script is more than plain commands', () => {
    expect(safe(bash('ls && rm x'))).toBe(false);
    expect(safe(bash('ls > out.txt'))).toBe(false);
    expect(safe(bash('echo $(rm -rf /)'))).toBe(false);
    expect(safe(bash('cat x &'))).toBe(false);
    expect(safe(bash('ls &&'))).toBe(false);
    expect(safe(['bash', '-lc', 'ls', 'extra'])).toBe(false);
    expect(safe(['fish', '-c', 'ls'])).toBe(false);
  });
});

describe('dangerous commands', () => {
  it.each([
    ['rm', '-rf', '/'],
    ['rm', '-f', 'x'],
    ['rm', '-fr', 'x'],
    ['rm', '-r', '--force', 'x'],
    ['git', 'reset', '--hard'],
    ['git', 'rm', 'x'],
    ['sudo', 'rm', '-rf', 'x'],
    ['sudo', '-u', 'root', 'git', 'reset'],
    ['env', 'A=1', 'rm', '-rf', 'x'],
    ['xargs', '-n', '1', 'rm', '-f'],
  ])('%j is dangerous', (...argv) => {
    expect(dangerous(argv)).toBe(true);
  });

  it.each([[], ['rm', 'x'], ['rm', '-r', 'dir'], ['git', 'status'], ['sudo', 'ls'], ['ls', '-rf']])(
    '%j is not dangerous',
    (...argv) => {
      expect(dangerous(argv)).toBe(false);
    },
  );

  it('sees dangerous commands anywhere inside bash -lc', () => {
    expect(dangerous(bash('ls && rm -rf build'))).toBe(true);
    expect(dangerous(bash('echo $(git reset --hard)'))).toBe(true);
    expect(dangerous(bash('sudo rm -rf "$HOME"'))).toBe(true);
    expect(dangerous(bash('find . | xargs rm -f'))).toBe(true);
    expect(dangerous(bash(`bash -lc 'rm -rf x'`))).toBe(true);
    expect(dangerous(['sudo', 'bash', '-lc', 'git rm x'])).toBe(true);
    expect(dangerous(bash('ls && git status'))).toBe(false);
  });

  it('treats a script it cannot parse as dangerous', () => {
    expect(dangerous(bash('rm -rf x &&'))).toBe(true);
  });
});

describe('assessCommand', () => {
  it('lists the plain commands an approval must cover, leaving out the safe ones', async () => {
    expect(await assessCommand(bash('cd sub && npm test -- --watch=false && git status'))).toEqual({
      knownSafe: false,
      dangerous: false,
      unsafeCommands: [['npm', 'test', '--', '--watch=false']],
    });
    expect(await assessCommand(['git', 'status'])).toEqual({
      knownSafe: true,
      dangerous: false,
      unsafeCommands: [],
    });
    expect((await assessCommand(bash('make > log'))).unsafeCommands).toBeNull();
  });
});
