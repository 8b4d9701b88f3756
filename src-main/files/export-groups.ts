// `--export DIR`: one folder per group with symlinks to its members, keeper first.
import { mkdir, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DuplicateGroup } from '../../src-core/cluster/groups';

export function groupFolderName(group: DuplicateGroup): string {
  return `group-${String(group.id).padStart(4, '0')} (${group.members.length} photos)`;
}

export async function exportGroups(dir: string, groups: readonly DuplicateGroup[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const group of groups) {
    const folder = join(dir, groupFolderName(group));
    await mkdir(folder, { recursive: true });
    for (const [k, member] of group.members.entries()) {
      // The rank prefix keeps names unique and sorts the keeper first in any file browser.
      const name = `${String(k + 1).padStart(2, '0')}${member.keeper ? ' keeper' : ''} - ${basename(member.path)}`;
      await symlink(member.path, join(folder, name));
    }
  }
}
