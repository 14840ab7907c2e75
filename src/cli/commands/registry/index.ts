/** `packctl registry ls|add|update|rm|sync`: one file per action, registered in help order. */
import type { Command } from 'commander';
import { registerRegistryAdd } from './add.js';
import { registerRegistryList } from './ls.js';
import { registerRegistryRemove } from './rm.js';
import { registerRegistrySync } from './sync.js';
import { registerRegistryUpdate } from './update.js';

export function registerRegistryCommands(program: Command): void {
  const registry = program
    .command('registry')
    .description('Manage the registries the server hosts or federates (changes need an ADMIN token).')
    .addHelpText(
      'after',
      `
Examples:
  $ packctl registry ls
  $ packctl registry add team --kind HOSTED
  $ packctl registry add bitnami --kind HELM --endpoint https://charts.bitnami.com/bitnami
  $ packctl registry sync bitnami --wait`,
    );
  registerRegistryList(registry);
  registerRegistryAdd(registry);
  registerRegistryUpdate(registry);
  registerRegistryRemove(registry);
  registerRegistrySync(registry);
}
