// The macOS Seatbelt profile for a policy, run with `sandbox-exec -p PROFILE -DKEY=VALUE… -- argv`. Pure;
// paths are passed as parameters rather than spliced into the profile, so no path needs quoting rules.
// (These Linux machines cannot run it: the generator is unit-tested, the run is not.)

import { networkDisabled } from '../exec/env.js';
import type { SandboxPolicy } from '../protocol/policy.js';
import type { WritableRoot } from './writable-roots.js';

/** Closed by default; what any process needs to start, fork, use ptys and read its preferences. */
const BASE_POLICY = `(version 1)
(deny default)
(allow process-exec)
(allow process-fork)
(allow signal (target same-sandbox))
(allow process-info* (target same-sandbox))
(allow file-write-data (require-all (path "/dev/null") (vnode-type CHARACTER-DEVICE)))
(allow sysctl-read
  (sysctl-name "hw.activecpu") (sysctl-name "hw.busfrequency_compat") (sysctl-name "hw.byteorder")
  (sysctl-name "hw.cacheconfig") (sysctl-name "hw.cachelinesize_compat") (sysctl-name "hw.cpufamily")
  (sysctl-name "hw.cpufrequency_compat") (sysctl-name "hw.cputype") (sysctl-name "hw.l1dcachesize_compat")
  (sysctl-name "hw.l1icachesize_compat") (sysctl-name "hw.l2cachesize_compat") (sysctl-name "hw.l3cachesize_compat")
  (sysctl-name "hw.logicalcpu_max") (sysctl-name "hw.machine") (sysctl-name "hw.memsize") (sysctl-name "hw.ncpu")
  (sysctl-name "hw.nperflevels") (sysctl-name "hw.packages") (sysctl-name "hw.pagesize_compat")
  (sysctl-name "hw.physicalcpu_max") (sysctl-name "hw.tbfrequency_compat") (sysctl-name "hw.vectorunit")
  (sysctl-name "kern.hostname") (sysctl-name "kern.maxfilesperproc") (sysctl-name "kern.osproductversion")
  (sysctl-name "kern.osrelease") (sysctl-name "kern.ostype") (sysctl-name "kern.osvariant_status")
  (sysctl-name "kern.osversion") (sysctl-name "kern.secure_kernel") (sysctl-name "kern.usrstack64")
  (sysctl-name "kern.version") (sysctl-name "sysctl.proc_cputype") (sysctl-name-prefix "hw.perflevel"))
(allow mach-lookup (global-name "com.apple.sysmond"))
(allow user-preference-read)
(allow ipc-posix-sem)
(allow pseudo-tty)
(allow file-read* file-write* file-ioctl (literal "/dev/ptmx"))
(allow file-read* file-write* (require-all (regex #"^/dev/ttys[0-9]+") (extension "com.apple.sandbox.pty")))
(allow file-ioctl (regex #"^/dev/ttys[0-9]+"))
`;

const READ_POLICY = '(allow file-read*)\n';

const NETWORK_POLICY = `(allow network-outbound)
(allow network-inbound)
(allow system-socket)
(allow mach-lookup
  (global-name "com.apple.bsd.dirhelper") (global-name "com.apple.system.opendirectoryd.membership")
  (global-name "com.apple.SecurityServer") (global-name "com.apple.networkd") (global-name "com.apple.ocspd")
  (global-name "com.apple.trustd.agent") (global-name "com.apple.SystemConfiguration.DNSConfiguration")
  (global-name "com.apple.SystemConfiguration.configd"))
(allow sysctl-read (sysctl-name-regex #"^net.routetable"))
`;
const CACHE_DIR_POLICY = '(allow file-write* (subpath (param "DARWIN_USER_CACHE_DIR")))\n';

export interface SeatbeltProfile {
  profile: string;
  /** `-DKEY=VALUE` arguments for sandbox-exec. */
  params: string[];
}

export function buildSeatbeltProfile(
  policy: SandboxPolicy,
  writableRoots: WritableRoot[],
  darwinUserCacheDir?: string,
): SeatbeltProfile {
  const params: string[] = [];
  let write = '';
  if (policy.type === 'danger-full-access') {
    write = '(allow file-write*)\n';
  } else if (writableRoots.length > 0) {
    const clauses = writableRoots.map(({ root, readOnlySubpaths }, i) => {
      const key = `WRITABLE_ROOT_${i}`;
      params.push(`-D${key}=${root}`);
      if (readOnlySubpaths.length === 0) return `(subpath (param "${key}"))`;
      const excluded = readOnlySubpaths.map((path, j) => {
        params.push(`-D${key}_RO_${j}=${path}`);
        return `(require-not (subpath (param "${key}_RO_${j}")))`;
      });
      return `(require-all (subpath (param "${key}")) ${excluded.join(' ')})`;
    });
    write = `(allow file-write*\n  ${clauses.join('\n  ')})\n`;
  }
  let network = '';
  if (!networkDisabled(policy)) {
    network = NETWORK_POLICY;
    if (darwinUserCacheDir) {
      params.push(`-DDARWIN_USER_CACHE_DIR=${darwinUserCacheDir}`);
      network += CACHE_DIR_POLICY;
    }
  }
  return { profile: BASE_POLICY + READ_POLICY + write + network, params };
}

export function buildSeatbeltArgv(executable: string, profile: SeatbeltProfile, command: string[]): string[] {
  return [executable, '-p', profile.profile, ...profile.params, '--', ...command];
}
