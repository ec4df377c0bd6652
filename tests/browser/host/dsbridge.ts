/**
 * The datasource backend for the browser suite: builds (when stale) the datasource's Go executable into
 * dist/datasource/ and the dsbridge (pkg/cmd/dsbridge), then starts dsbridge, which launches the
 * executable as Grafana does (go-plugin, the SDK's handshake, gRPC) and answers Grafana's /api/ds/query,
 * /health and /resources over it. The host server forwards those paths to it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface DsBridge {
  url: string;
  stop(): Promise<void>;
}

const GOARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

function newestGoSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, newestGoSource(full));
    } else if (entry.name.endsWith('.go') && !entry.name.endsWith('_test.go')) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed${result.error ? `: ${result.error.message}` : ''}`);
  }
}

/** Builds what is missing or older than pkg/ (go's own cache makes an unchanged build quick). */
export function buildDsBackend(root: string, buildDir: string): { executable: string; bridge: string } {
  const pluginJson = JSON.parse(readFileSync(path.join(root, 'src/datasource/plugin.json'), 'utf8'));
  const goarch = GOARCH[process.arch] ?? process.arch;
  const executable = path.join(root, 'dist', 'datasource', `${pluginJson.executable}_linux_${goarch}`);
  const bridge = path.join(buildDir, 'dsbridge');
  const sources = newestGoSource(path.join(root, 'pkg'));
  if (!existsSync(executable) || statSync(executable).mtimeMs < sources) {
    console.log(`browser suite: building the datasource backend for linux/${goarch}`);
    run('node', ['scripts/build-backend.mjs', '--platform', `linux/${goarch}`], root);
  }
  if (!existsSync(bridge) || statSync(bridge).mtimeMs < sources) {
    run('go', ['build', '-o', bridge, './pkg/cmd/dsbridge'], root);
  }
  return { executable, bridge };
}

export async function startDsBridge(root: string, buildDir: string): Promise<DsBridge> {
  const { executable, bridge } = buildDsBackend(root, buildDir);
  const child = spawn(bridge, ['-executable', executable], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log = (log + chunk).slice(-20_000)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`dsbridge did not start within 30 s:\n${log}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dsbridge exited with ${code}:\n${log}`));
    });
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.stdin.end(); // dsbridge stops its plugin process and exits when stdin closes
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (child.exitCode === null) {
          child.kill('SIGKILL');
        }
      }
    },
  };
}
