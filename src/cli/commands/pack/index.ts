/** `packctl pack push|pull|ls|show|tag|lifecycle|impact|rm`: one file per action, registered in help order. */
import type { Command } from 'commander';
import { examples } from '../examples.js';
import { registerPackImpact } from './impact.js';
import { registerPackLifecycle } from './lifecycle.js';
import { registerPackList } from './ls.js';
import { registerPackPull } from './pull.js';
import { registerPackPush } from './push.js';
import { registerPackRemove } from './rm.js';
import { registerPackShow } from './show.js';
import { registerPackSign, registerPackVerify } from './sign.js';
import { registerPackTag } from './tag.js';

export function registerPackCommands(program: Command): void {
  const pack = program
    .command('pack')
    .description('Push, pull and browse packs.')
    .addHelpText(
      'after',
      examples(`  $ packctl pack push ./crossplane-2.1.3 --registry team
  $ packctl pack pull crossplane:2.1.3 ./crossplane
  $ packctl pack ls --layer addon --name cross`),
    );
  registerPackPush(pack);
  registerPackPull(pack);
  registerPackList(pack);
  registerPackShow(pack);
  registerPackTag(pack);
  registerPackLifecycle(pack);
  registerPackImpact(pack);
  registerPackRemove(pack);
  registerPackSign(pack);
  registerPackVerify(pack);
}
