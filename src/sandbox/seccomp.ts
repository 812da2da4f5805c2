// The seccomp filter applied inside bubblewrap. Always: no debugging of other processes (ptrace,
// process_vm_readv/writev, pidfd_getfd: a command could otherwise attach to the sandbox's PID 1 or read
// another sandboxed process's memory), no io_uring (its operations bypass seccomp), no x32 ABI.
// When the network is off, also: the network namespace already cuts TCP/UDP; what it cannot cut is a host
// Unix socket path (docker.sock, ssh-agent, D-Bus), which stays connectable. Seccomp cannot see a
// connect(2) address (it is behind a pointer), so, as Codex does, the filter denies connect(2) outright and
// only lets AF_UNIX stream/seqpacket sockets be created (a datagram socket could sendto(2) a host path
// without connecting). Denials return EPERM, never a kill, so programs fail at once with a readable error.
//
// The program is classic BPF, generated here rather than with libseccomp: bwrap's `--seccomp FD` takes the
// raw `struct sock_filter[]`, and no npm package builds one without a native addon.

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const AND_K = 0x54;
const RET_K = 0x06;

const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_ERRNO = 0x00050000;
const EPERM = 1;

// struct seccomp_data: nr, arch, instruction_pointer, args[6]; low 32 bits of args[i] on little-endian.
const OFF_NR = 0;
const OFF_ARCH = 4;
const argOffset = (i: number) => 16 + 8 * i;

const AF_UNIX = 1;
const SOCK_STREAM = 1;
const SOCK_SEQPACKET = 5;
const SOCK_TYPE_MASK = 0xf; // strips SOCK_NONBLOCK / SOCK_CLOEXEC
const X32_SYSCALL_BIT = 0x40000000;

interface ArchSyscalls {
  auditArch: number;
  socket: number;
  socketpair: number;
  connect: number;
  /** Denied whatever the network setting: io_uring_setup, ptrace, process_vm_readv/writev, pidfd_getfd. */
  alwaysDenied: number[];
}

/** A 32-bit ABI the kernel also accepts on the native arch. */
interface CompatSyscalls {
  auditArch: number;
  /** Denied always (the same set as the native one). */
  alwaysDenied: number[];
  /** Denied when the network is off: every socket syscall. */
  networkDenied: number[];
}

interface ArchTable {
  native: ArchSyscalls;
  compat: CompatSyscalls;
  /** x86_64 also accepts x32 syscalls (nr | 0x40000000) under the native audit arch. */
  denyX32: boolean;
}

const ARCHES: Record<string, ArchTable> = {
  x64: {
    native: {
      auditArch: 0xc000003e,
      socket: 41,
      socketpair: 53,
      connect: 42,
      // io_uring_setup, ptrace, process_vm_readv, process_vm_writev, pidfd_getfd
      alwaysDenied: [425, 101, 310, 311, 438],
    },
    compat: {
      auditArch: 0x40000003,
      // i386: io_uring_setup, ptrace, process_vm_readv, process_vm_writev, pidfd_getfd
      alwaysDenied: [425, 26, 347, 348, 438],
      // socketcall, socket, socketpair, connect
      networkDenied: [102, 359, 360, 362],
    },
    denyX32: true,
  },
  arm64: {
    native: {
      auditArch: 0xc00000b7,
      socket: 198,
      socketpair: 199,
      connect: 203,
      alwaysDenied: [425, 117, 270, 271, 438],
    },
    compat: {
      auditArch: 0x40000028,
      // arm (EABI): io_uring_setup, ptrace, process_vm_readv, process_vm_writev, pidfd_getfd
      alwaysDenied: [425, 26, 376, 377, 438],
      // socket, connect, socketpair
      networkDenied: [281, 283, 288],
    },
    denyX32: false,
  },
};

export function seccompSupported(arch: string = process.arch): boolean {
  return arch in ARCHES;
}

type Insn =
  | { label: string }
  | { code: number; k: number; jt?: string; jf?: string }
  | { ret: 'allow' | 'deny' };

/** Resolves labels into the relative forward jumps of classic BPF and serialises `struct sock_filter[]`. */
function assemble(program: Insn[]): Buffer {
  const code: Array<{ code: number; k: number; jt?: string; jf?: string }> = [];
  const labels = new Map<string, number>();
  for (const insn of program) {
    if ('label' in insn) labels.set(insn.label, code.length);
    else if ('ret' in insn)
      code.push({ code: RET_K, k: insn.ret === 'allow' ? SECCOMP_RET_ALLOW : SECCOMP_RET_ERRNO | EPERM });
    else code.push(insn);
  }
  const buf = Buffer.alloc(code.length * 8);
  code.forEach((insn, i) => {
    const offset = (label: string | undefined) => {
      if (label === undefined) return 0;
      const target = labels.get(label);
      if (target === undefined) throw new Error(`seccomp: unknown label ${label}`);
      const delta = target - (i + 1);
      if (delta < 0 || delta > 255) throw new Error(`seccomp: jump to ${label} out of range`);
      return delta;
    };
    buf.writeUInt16LE(insn.code, i * 8);
    buf.writeUInt8(offset(insn.jt), i * 8 + 2);
    buf.writeUInt8(offset(insn.jf), i * 8 + 3);
    buf.writeUInt32LE(insn.k >>> 0, i * 8 + 4);
  });
  return buf;
}

/**
 * The filter for `arch` (a `process.arch` name), as bytes for bwrap's `--seccomp FD`: the always-denied
 * set, plus the socket rules when `network` is false.
 */
export function buildSeccompProgram(options: { network: boolean }, arch: string = process.arch): Buffer {
  const table = ARCHES[arch];
  if (!table) throw new Error(`seccomp filter: unsupported architecture ${arch}`);
  const { native: n, compat } = table;
  const jeq = (k: number, jt?: string, jf?: string): Insn => ({ code: JEQ_K, k, jt, jf });
  const load = (offset: number): Insn => ({ code: LD_W_ABS, k: offset });
  const socketChecks: Insn[] = options.network
    ? []
    : [jeq(n.connect, 'deny'), jeq(n.socket, 'socket'), jeq(n.socketpair, 'socketpair')];
  const socketRules: Insn[] = options.network
    ? []
    : [
        { label: 'socket' },
        load(argOffset(0)),
        jeq(AF_UNIX, undefined, 'deny'),
        load(argOffset(1)),
        { code: AND_K, k: SOCK_TYPE_MASK },
        jeq(SOCK_STREAM, 'allow'),
        jeq(SOCK_SEQPACKET, 'allow'),
        { ret: 'deny' },
        { label: 'socketpair' },
        load(argOffset(0)),
        jeq(AF_UNIX, 'allow', 'deny'),
      ];
  const compatDenied = [...compat.alwaysDenied, ...(options.network ? [] : compat.networkDenied)];
  return assemble([
    load(OFF_ARCH),
    jeq(n.auditArch, undefined, 'compat'),
    load(OFF_NR),
    ...(table.denyX32 ? [{ code: JGE_K, k: X32_SYSCALL_BIT, jt: 'deny' }] : []),
    ...n.alwaysDenied.map((nr) => jeq(nr, 'deny')),
    ...socketChecks,
    { ret: 'allow' },
    ...socketRules,
    { label: 'compat' },
    jeq(compat.auditArch, undefined, 'deny'),
    load(OFF_NR),
    ...compatDenied.map((nr) => jeq(nr, 'deny')),
    { label: 'allow' },
    { ret: 'allow' },
    { label: 'deny' },
    { ret: 'deny' },
  ]);
}
