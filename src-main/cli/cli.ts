// The doppel command line: dispatches to one module per command.
import { hashCommand } from './hash-command';
import { clusterCommand } from './cluster-command';
import { scanCommand } from './scan-command';
import { serveCommand } from './serve-command';
import { EXIT, UsageError } from './usage';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  hash: hashCommand,
  scan: scanCommand,
  cluster: clusterCommand,
  serve: serveCommand,
};

export const MAIN_HELP = `Doppel finds duplicate and near-duplicate photos.

Usage: doppel <command> [options]

Commands:
  scan PATH...            find groups of duplicate photos (hash + cluster)
  cluster --from FILE...  group fingerprint records ("doppel hash --json", other PDQ tools)
  hash PATH...            fingerprint image files (PDQ, aHash, dHash, pHash, wHash, SHA-256, EXIF)
  serve [DIR...]          run without a window and review in a browser (NAS, server)

Run "doppel <command> --help" for the options of a command.`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${MAIN_HELP}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`doppel: ${(error as Error).message}\nRun "doppel --help" for usage.\n`);
      return EXIT.usage;
    }
    process.stderr.write(`doppel: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
}
