// Bundled entry of the CLI (out/main/cli.js), started by bin/doppel.mjs.
import { runCli } from './cli';

process.exitCode = await runCli(process.argv.slice(2));
