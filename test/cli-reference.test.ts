// docs/cli.md quotes every command's --help verbatim, so the reference cannot drift from the
// CLI: a flag added to a help text without the doc fails here. The help constants are imported
// rather than printed by the built CLI, so this needs no build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAIN_HELP } from '../src-main/cli/cli';
import { HASH_HELP } from '../src-main/cli/hash-command';
import { CLUSTER_HELP } from '../src-main/cli/cluster-command';
import { SCAN_HELP } from '../src-main/cli/scan-command';
import { SERVE_HELP } from '../src-main/cli/serve-command';
import { PROJECT_ROOT } from './helpers';

const COMMAND_HELP: Record<string, string> = { scan: SCAN_HELP, cluster: CLUSTER_HELP, hash: HASH_HELP, serve: SERVE_HELP };

/** The contents of every fenced block (```…```) in a Markdown text. */
function fencedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```$/gm)].map((match) => match[1]!.replace(/\n$/, ''));
}

/** The command names "doppel --help" lists under "Commands:". */
function listedCommands(help: string): string[] {
  const section = help.split('Commands:\n')[1]?.split('\n\n')[0] ?? '';
  return section.split('\n').map((line) => line.trim().split(/\s+/)[0]!);
}

describe('docs/cli.md', () => {
  const blocks = fencedBlocks(readFileSync(join(PROJECT_ROOT, 'docs/cli.md'), 'utf8'));

  it('quotes "doppel --help" verbatim in a fenced block', () => {
    expect(blocks, 'copy "doppel --help" into docs/cli.md').toContain(MAIN_HELP);
  });

  it('has a help text for every command "doppel --help" lists', () => {
    expect(listedCommands(MAIN_HELP).sort()).toEqual(Object.keys(COMMAND_HELP).sort());
  });

  it.each(Object.entries(COMMAND_HELP))('quotes "doppel %s --help" verbatim in a fenced block', (command, help) => {
    expect(blocks, `copy "doppel ${command} --help" into docs/cli.md`).toContain(help);
  });
});
