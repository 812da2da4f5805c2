// The one list of names kept read-only at the top of every writable root, used by the sandbox (read-only
// binds, and a reserved empty directory where one is missing) and by the apply_patch planner (a patch
// touching them is never auto-approved). `.git`: a planted hook runs on the user's next commit; `.conduit`
// and `.codex`: config and instructions a later run would load (the Conduit home is `.conduit` in a
// workspace that is $HOME); `.agents`: instructions and skills.
export const PROTECTED_NAMES: readonly string[] = ['.git', '.conduit', '.codex', '.agents'];

/** True when `name` (one path component) is protected; compared case-insensitively for case-folding filesystems. */
export function isProtectedName(name: string): boolean {
  return PROTECTED_NAMES.includes(name.toLowerCase());
}
