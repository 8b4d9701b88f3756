// The packaged app's fuses, read and validated by the installed electron-builder itself (its
// configuration loader and schema), so a misspelt or misplaced key fails here, not at release.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../test/helpers';

interface BuilderConfig {
  electronFuses?: Record<string, boolean>;
}
const builder = createRequire(import.meta.url)('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};

describe('electron-builder.yml', () => {
  it('is valid for the installed electron-builder and flips the fuses docs/security.md names', async () => {
    const config = await builder.getConfig(PROJECT_ROOT, null, null);
    await builder.validateConfiguration(config, { isEnabled: false, add() {} });
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
