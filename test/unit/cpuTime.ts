// Limits on the time of pure computation count this process's CPU time, not the wall clock: on a
// machine shared with other work, the clock also counts the time other processes had the cores.

/** The CPU time (user and system, in ms) that this process spends in `work`. */
export function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
