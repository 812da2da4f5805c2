// The filter is checked two ways: here, by running the generated program through a small classic-BPF
// interpreter on synthetic syscalls; in sandbox.test.ts, by the kernel on real programs.
import { describe, expect, it } from 'vitest';
import { buildSeccompProgram, seccompSupported } from '../../src/sandbox/seccomp.js';

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const X86_64 = 0xc000003e;
const I386 = 0x40000003;
const AARCH64 = 0xc00000b7;

interface SyscallData {
  arch: number;
  nr: number;
  args?: number[];
}

/** Runs a seccomp cBPF program (the instructions our generator emits) on one syscall. */
function evaluate(program: Buffer, data: SyscallData): number {
  const word = (offset: number): number => {
    if (offset === 0) return data.nr >>> 0;
    if (offset === 4) return data.arch >>> 0;
    const i = (offset - 16) / 8;
    return (data.args?.[i] ?? 0) >>> 0;
  };
  let acc = 0;
  for (let pc = 0; pc * 8 < program.length; pc++) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) acc = word(k);
    else if (code === 0x54) acc = (acc & k) >>> 0;
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x35) pc += acc >= k ? jt : jf;
    else if (code === 0x06) return k;
    else throw new Error(`unexpected BPF opcode ${code.toString(16)} at ${pc}`);
  }
  throw new Error('program fell off its end');
}

describe('network seccomp filter (x86_64)', () => {
  const prog = buildSeccompProgram({ network: false }, 'x64');
  const native = (nr: number, ...args: number[]) => evaluate(prog, { arch: X86_64, nr, args });

  it('is a whole number of 8-byte instructions', () => {
    expect(prog.length % 8).toBe(0);
    expect(prog.length / 8).toBeLessThan(64);
  });

  it('denies connect and io_uring, allows ordinary syscalls', () => {
    expect(native(42)).toBe(EPERM); // connect
    expect(native(425)).toBe(EPERM); // io_uring_setup
    expect(native(0)).toBe(ALLOW); // read
    expect(native(59)).toBe(ALLOW); // execve
    expect(native(49)).toBe(ALLOW); // bind
  });

  it('lets socket() create only AF_UNIX stream and seqpacket sockets', () => {
    expect(native(41, 1, 1)).toBe(ALLOW); // AF_UNIX, SOCK_STREAM
    expect(native(41, 1, 1 | 0x80000 | 0x800)).toBe(ALLOW); // + SOCK_CLOEXEC | SOCK_NONBLOCK
    expect(native(41, 1, 5)).toBe(ALLOW); // SOCK_SEQPACKET
    expect(native(41, 1, 2)).toBe(EPERM); // SOCK_DGRAM could sendto a host path
    expect(native(41, 2, 1)).toBe(EPERM); // AF_INET
    expect(native(41, 10, 2)).toBe(EPERM); // AF_INET6
    expect(native(41, 16, 3)).toBe(EPERM); // AF_NETLINK
  });

  it('allows socketpair only for AF_UNIX (of any type)', () => {
    expect(native(53, 1, 2)).toBe(ALLOW);
    expect(native(53, 2, 1)).toBe(EPERM);
  });

  it('denies x32 syscalls and the socket calls of the i386 ABI', () => {
    expect(native(0x40000000 + 42)).toBe(EPERM);
    expect(native(0x40000000)).toBe(EPERM);
    for (const nr of [102, 359, 360, 362, 425, 26]) expect(evaluate(prog, { arch: I386, nr })).toBe(EPERM);
    expect(evaluate(prog, { arch: I386, nr: 3 })).toBe(ALLOW);
    expect(evaluate(prog, { arch: 0x1234, nr: 3 })).toBe(EPERM);
  });
});

describe('debugging other processes (x86_64)', () => {
  // ptrace, process_vm_readv, process_vm_writev, pidfd_getfd, io_uring_setup
  const DEBUG_SYSCALLS = [101, 310, 311, 438, 425];

  it('denies them with EPERM whether or not the network is on', () => {
    for (const network of [false, true]) {
      const prog = buildSeccompProgram({ network }, 'x64');
      for (const nr of DEBUG_SYSCALLS) expect(evaluate(prog, { arch: X86_64, nr })).toBe(EPERM);
      for (const nr of [26, 347, 348]) expect(evaluate(prog, { arch: I386, nr })).toBe(EPERM);
    }
  });

  it('leaves sockets alone when the network is on', () => {
    const prog = buildSeccompProgram({ network: true }, 'x64');
    expect(evaluate(prog, { arch: X86_64, nr: 42 })).toBe(ALLOW); // connect
    expect(evaluate(prog, { arch: X86_64, nr: 41, args: [2, 1] })).toBe(ALLOW); // AF_INET socket
    expect(evaluate(prog, { arch: I386, nr: 102 })).toBe(ALLOW); // socketcall
    expect(evaluate(prog, { arch: X86_64, nr: 0x40000000 })).toBe(EPERM); // x32 stays denied
  });
});

describe('network seccomp filter (aarch64)', () => {
  const prog = buildSeccompProgram({ network: false }, 'arm64');
  it('uses the arm64 syscall numbers', () => {
    expect(evaluate(prog, { arch: AARCH64, nr: 203 })).toBe(EPERM); // connect
    expect(evaluate(prog, { arch: AARCH64, nr: 198, args: [1, 1] })).toBe(ALLOW);
    expect(evaluate(prog, { arch: AARCH64, nr: 198, args: [2, 1] })).toBe(EPERM);
    expect(evaluate(prog, { arch: AARCH64, nr: 42 })).toBe(ALLOW); // not connect on arm64
    expect(evaluate(prog, { arch: AARCH64, nr: 117 })).toBe(EPERM); // ptrace
    expect(evaluate(prog, { arch: AARCH64, nr: 270 })).toBe(EPERM); // process_vm_readv
  });
});

describe('architecture support', () => {
  it('rejects an architecture it has no syscall table for', () => {
    expect(seccompSupported('x64')).toBe(true);
    expect(seccompSupported('riscv64')).toBe(false);
    expect(() => buildSeccompProgram({ network: false }, 'riscv64')).toThrow(
      /unsupported architecture riscv64/,
    );
  });
});
