/** `packctl profile validate|apply|propose|clone|export|ls|rm`: one file per action, registered in help order. */
import type { Command } from 'commander';
import { examples } from '../examples.js';
import { registerProfileApply } from './apply.js';
import { registerProfileClone } from './clone.js';
import { registerProfileExport } from './export.js';
import { registerProfileList } from './ls.js';
import { registerProfilePropose } from './propose.js';
import { registerProfileRemove } from './rm.js';
import { registerProfileValidate } from './validate.js';

export function registerProfileCommands(program: Command): void {
  const profile = program
    .command('profile')
    .description('Validate, save and export cluster profiles (ordered layers of packs).')
    .addHelpText(
      'after',
      examples(`  $ packctl profile validate web-cluster.yaml
  $ packctl profile apply web-cluster.yaml
  $ packctl profile propose --cloud aws --kubernetes 1.31.x --pack ubuntu --slot CNI --slot CSI:prefer=csi-aws-ebs
  $ packctl profile export web-cluster:1.0.0 > web-cluster.yaml
  $ packctl profile clone web-cluster 1.0.0 1.1.0
  $ packctl profile ls

A profile file (YAML or JSON):
  name: web-cluster
  version: 1.0.0
  type: cluster            # cluster, infra, add-on or system
  cloudType: aws
  layers:
    - { pack: ubuntu, version: "22.04" }
    - { pack: kubernetes, version: 1.31.x }
    - { pack: cni-calico, version: 3.28.2 }
    - pack: csi-longhorn
      version: 1.7.2
      presets: [replicas-3]
      values: |
        pack:
          namespace: longhorn-system`),
    );
  registerProfileValidate(profile);
  registerProfileApply(profile);
  registerProfilePropose(profile);
  registerProfileClone(profile);
  registerProfileExport(profile);
  registerProfileList(profile);
  registerProfileRemove(profile);
}
