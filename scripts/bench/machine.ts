/** What the figures were measured on, and how busy it was. */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { round } from './stats.ts';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  date: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    os: `${osType()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

export interface LoadSample {
  at: string;
  when: string;
  /** 1, 5 and 15 minute load averages. */
  loadavg: number[];
}

export function loadSample(when: string): LoadSample {
  return { at: new Date().toISOString(), when, loadavg: loadavg().map((l) => round(l, 2)) };
}

/** The busiest other processes right now (command name and %CPU), to explain noise. */
export function busiestProcesses(limit = 5): string[] {
  const ps = spawnSync('ps', ['-eo', 'pcpu,comm', '--sort=-pcpu', '--no-headers'], { encoding: 'utf8' });
  if (ps.status !== 0) return [];
  return ps.stdout
    .trim()
    .split('\n')
    .slice(0, limit)
    .map((line) => line.trim().replace(/\s+/, '% '));
}
