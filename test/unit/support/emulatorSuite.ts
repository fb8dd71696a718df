/**
 * Mocha hooks for a suite that talks to an emulator of its own over a real socket: started once before
 * the suite, reset to its seed before each test (so tests do not see each other's runs), closed after.
 */
import { RunflowClient, type RunflowClientOptions } from '../../../src/api/client';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';

export interface EmulatorSuite {
  readonly emu: Emulator;
  /** A client signed in with `token`; it tries each request once, so a fault shows as it is. */
  readonly client: RunflowClient;
}

export function useEmulator(
  token: string,
  options: Omit<EmulatorOptions, 'port' | 'tokens'> & { tokens?: EmulatorOptions['tokens'] } = {},
  clientOptions: Partial<Omit<RunflowClientOptions, 'baseUrl' | 'getToken'>> = {},
): EmulatorSuite {
  let emu: Emulator | undefined;
  let client: RunflowClient | undefined;
  before(async () => {
    emu = await startEmulator({ port: 0, ...options, tokens: { [token]: '*', ...options.tokens } });
    client = new RunflowClient({ baseUrl: emu.url, getToken: () => token, retry: { maxAttempts: 1 }, ...clientOptions });
  });
  after(() => emu?.close());
  beforeEach(() => emu?.reset());
  return {
    get emu() {
      if (!emu) throw new Error('the emulator starts in the suite’s before hook');
      return emu;
    },
    get client() {
      if (!client) throw new Error('the client is made in the suite’s before hook');
      return client;
    },
  };
}
