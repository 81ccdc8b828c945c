// `npm run server`: the sync server on the store the environment selects. SIGTERM/SIGINT stop it
// gracefully; a bad environment exits 1 with one message naming every problem.
import { EnvError, loadEnv } from './env';
import { startServer } from './server';

async function main(): Promise<void> {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const server = await startServer(env);
  const stop = (signal: string): void => {
    server.shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The sync server could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
