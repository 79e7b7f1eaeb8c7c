// strace -c / -C: per-syscall counts, errors and time, printed as strace's table.

interface Row {
  nr: number;
  calls: number;
  errors: number;
  ns: bigint;
}

export class SyscallSummary {
  private readonly rows = new Map<string, Row>();

  count(name: string, nr: number, ret: bigint, ns: bigint): void {
    let r = this.rows.get(name);
    if (r === undefined) this.rows.set(name, (r = { nr, calls: 0, errors: 0, ns: 0n }));
    r.calls++;
    if (ret < 0n && ret >= -4095n) r.errors++;
    r.ns += ns;
  }

  render(): string {
    // strace's order: most time first; equal times by syscall number.
    const entries = [...this.rows.entries()].sort((a, b) => (a[1].ns === b[1].ns ? a[1].nr - b[1].nr : a[1].ns > b[1].ns ? -1 : 1));
    const totalNs = entries.reduce((s, [, r]) => s + r.ns, 0n);
    const totalCalls = entries.reduce((s, [, r]) => s + r.calls, 0);
    const totalErrors = entries.reduce((s, [, r]) => s + r.errors, 0);
    const rule = '------ ----------- ----------- --------- --------- ----------------';
    const lines = ['% time     seconds  usecs/call     calls    errors syscall', rule];
    const fmt = (pct: string, ns: bigint, calls: number, errors: number, name: string): string => {
      const secs = `${ns / 1_000_000_000n}.${((ns % 1_000_000_000n) / 1000n).toString().padStart(6, '0')}`;
      const usPerCall = calls === 0 ? 0n : ns / 1000n / BigInt(calls);
      return `${pct.padStart(6)} ${secs.padStart(11)} ${usPerCall.toString().padStart(11)} ${String(calls).padStart(9)} ${(errors === 0 ? '' : String(errors)).padStart(9)} ${name}`;
    };
    for (const [name, r] of entries) {
      const pct = totalNs === 0n ? '0.00' : (Number((r.ns * 10000n) / totalNs) / 100).toFixed(2);
      lines.push(fmt(pct, r.ns, r.calls, r.errors, name));
    }
    lines.push(rule);
    lines.push(fmt('100.00', totalNs, totalCalls, totalErrors, 'total'));
    return lines.join('\n') + '\n';
  }
}
