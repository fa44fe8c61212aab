/**
 * Child processes of the benchmarks: servers started from the command lines of mock/servers.ts, each
 * in its own process group so that stopping it stops whatever it started; every one of them is
 * stopped at the end, also when the benchmark fails or is interrupted.
 *
 * A private network namespace (Linux, root: `unshare -n`) gives the suite runs their own loopback,
 * so they can use the suite's fixed ports while a colleague's run holds them on the machine's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { READY_PATH } from '../../mock/servers.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface Proc {
  name: string;
  child: ChildProcess;
  /** The last few KB of stderr, to explain a failure. */
  stderr(): string;
  /** The last few KB of stdout (when piped) and stderr together, as they came. */
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const running = new Set<Proc>();

/** Where a command runs: the machine's network, or a private one (`nsenter` into a holder's namespace). */
export interface Network {
  name: string;
  /** argv prefix that enters the network, empty for the machine's own. */
  enter: string[];
  /** The namespace id (`net:[...]`), to find what was left running in it. */
  nsId?: string;
}

export const HOST_NETWORK: Network = { name: 'host', enter: [] };

export function spawnProc(name: string, argv: string[], options: { network?: Network; env?: NodeJS.ProcessEnv; stdout?: 'ignore' | 'pipe'; cwd?: string } = {}): Proc {
  const full = [...(options.network?.enter ?? []), ...argv];
  const child = spawn(full[0] as string, full.slice(1), {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    detached: true, // own process group: stop() reaches its children too
    stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'],
  });
  let tail = '';
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
    output = (output + chunk.toString('utf8')).slice(-8000);
  });
  // Piped stdout is read (never left to fill its pipe) and kept with stderr, to explain a failure.
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });
  const proc: Proc = {
    name,
    child,
    stderr: () => tail,
    output: () => output,
    exited,
    stop: async () => {
      running.delete(proc);
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
      if (!done) {
        killGroup(child, 'SIGKILL');
        await Promise.race([exited, sleep(1000)]);
      }
    },
  };
  running.add(proc);
  return proc;
}

/** A shell command line (mock/servers.ts gives them as strings). */
export function spawnShell(name: string, command: string, options: { network?: Network; env?: NodeJS.ProcessEnv } = {}): Proc {
  return spawnProc(name, ['sh', '-c', `exec ${command}`], options);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Stop every process this benchmark started (and still runs), in parallel. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** Synchronous last resort (process 'exit'): SIGKILL every group still running. */
function killAllNow(): void {
  for (const proc of running) killGroup(proc.child, 'SIGKILL');
  running.clear();
}

let handlersInstalled = false;
let interrupted = false;

/** True once Ctrl+C or SIGTERM asked the benchmark to stop (failures after that are its echo). */
export function wasInterrupted(): boolean {
  return interrupted;
}
/** Stop everything on Ctrl+C, SIGTERM, an uncaught error or any exit. */
export function installCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\nbench: ${signal}, stopping the servers`);
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** True when something accepts connections on 127.0.0.1:port (in this process's network). */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Wait until `url` answers (any HTTP status), or the process exits, or the deadline passes. Polls
 * every 25 ms, so the time measured is the server's, not the poll's. `network` lets the poll run
 * inside a private namespace (through curl).
 */
export async function waitReady(proc: Proc, port: number, { network = HOST_NETWORK, timeoutMs = 60_000 } = {}): Promise<number> {
  const started = performance.now();
  const url = `http://127.0.0.1:${port}${READY_PATH}`;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (performance.now() - started < timeoutMs) {
    if (exited) throw new Error(`${proc.name} exited before it was ready:\n${proc.stderr()}`);
    if (network.enter.length === 0) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        return performance.now() - started;
      } catch {
        // not yet
      }
    } else {
      const probe = spawnSync(network.enter[0] as string, [...network.enter.slice(1), 'curl', '-s', '-o', '/dev/null', '--max-time', '1', url]);
      if (probe.status === 0) return performance.now() - started;
    }
    await sleep(25);
  }
  throw new Error(`${proc.name} was not ready on port ${port} after ${timeoutMs} ms:\n${proc.stderr()}`);
}

/**
 * A private network namespace with its loopback up, held open by a sleeping process; commands enter
 * it with nsenter. Undefined (with the reason) where that is not possible (not Linux, not root, no
 * unshare/nsenter/ip).
 */
export async function privateNetwork(): Promise<{ network?: Network; reason?: string }> {
  if (process.platform !== 'linux') return { reason: 'not Linux' };
  if (process.getuid?.() !== 0) return { reason: 'not root (unshare -n needs it)' };
  for (const tool of ['unshare', 'nsenter', 'ip', 'curl']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return { reason: `${tool} is not installed` };
  }
  const holder = spawnProc('network holder', ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec sleep 100000']);
  await sleep(200);
  const pid = holder.child.pid;
  if (pid === undefined || holder.child.exitCode !== null) return { reason: `unshare -n failed: ${holder.stderr().trim()}` };
  let nsId: string;
  try {
    nsId = readlinkSync(`/proc/${pid}/ns/net`);
    if (nsId === readlinkSync('/proc/self/ns/net')) throw new Error('same namespace');
  } catch (error) {
    await holder.stop();
    return { reason: `no private network namespace (${(error as Error).message})` };
  }
  return { network: { name: `private (${nsId})`, enter: ['nsenter', `--net=/proc/${pid}/ns/net`], nsId } };
}

/** The process group of a pid (field 5 of /proc/<pid>/stat), or undefined. */
function processGroup(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/**
 * Processes still running in a private namespace outside the process groups this benchmark still
 * runs there (holder, warm servers): what a suite run left behind. Nothing else enters that
 * namespace, so they can only be ours; they are killed by pid.
 */
export function killStragglers(network: Network): number[] {
  if (!network.nsId) return [];
  const keep = new Set([...running].map((p) => p.child.pid));
  const killed: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${entry}/ns/net`) !== network.nsId) continue;
      if (keep.has(processGroup(pid))) continue;
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return killed;
}
